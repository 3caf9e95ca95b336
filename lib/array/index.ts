export { Matrix, formatMatrix } from "./matrix";
export type { Shape } from "./matrix";
export * from "./ops";
export { Random } from "./random";
export { kernels, setKernels, jsKernels, referenceKernels } from "./kernels";
export type { Kernels } from "./kernels";
export { withConstant, isConstant } from "./constant";
export { nativeKernels, nativeUnavailable, nativeThreads } from "./native";
