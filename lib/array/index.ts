export { Matrix, formatMatrix } from "./matrix";
export type { Shape } from "./matrix";
export * from "./ops";
export { Random } from "./random";
export { kernels, setKernels, jsKernels, referenceKernels } from "./kernels";
export type { Kernels } from "./kernels";
