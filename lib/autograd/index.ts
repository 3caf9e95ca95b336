/**
 * Part 3 (automatic differentiation with TensorFlow.js). Not re-exported by
 * lib/index: importing it loads TensorFlow.js, which parts 1–2 do not need.
 */
export { tf, initBackend, BACKENDS, nativeBackendUnavailable } from "./backend";
export type { BackendName } from "./backend";
export { toTensor, toMatrix } from "./convert";
export { Module, Linear } from "./module";
export * from "./torch";
export { MLP } from "./mlp";
export { matMulData, releaseData } from "./data-product";
export { sans_fuite } from "./leaks";
export { saturationGradients } from "./saturation";
export type { SaturationRow } from "./saturation";
