/**
 * Part 3 as a student's copy has it (written as lib/autograd/index.ts of the
 * student folder): what torch gives — tensors, autograd and optimizers (tf),
 * Module, Linear — and the leak check, not the handout's functions.
 */
export { tf, initBackend } from "./backend";
export type { BackendName } from "./backend";
export { toTensor, toMatrix } from "./convert";
export { Module, Linear } from "./module";
export { sans_fuite } from "./leaks";
export type { TorchParameters, Activation } from "./types";
export { saturationGradients } from "./saturation";
export type { SaturationRow } from "./saturation";
