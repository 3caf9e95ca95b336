/**
 * Part 3 (automatic differentiation with TensorFlow.js). Not re-exported by
 * lib/index: importing it loads TensorFlow.js, which parts 1–2 do not need.
 */
export { tf, initBackend, BACKENDS, nativeBackendUnavailable } from "./backend";
export type { BackendName } from "./backend";
export { toTensor, toMatrix } from "./convert";
export * from "./torch";
export { Module, Linear, MLP } from "./mlp";
export { gradient_descent_torch, predict_torch } from "./descent";
export type { Optimizer, TorchDescentOptions, TorchTrainingResult } from "./descent";
export { matMulData, releaseData } from "./data-product";
