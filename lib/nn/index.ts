export { softmax } from "./softmax";
export { evaluate_loss, LOG_EPSILON } from "./loss";
export { accuracy } from "./accuracy";
export * from "./one-layer";
export * from "./two-layers";
export { flooredTwoLayersGradient } from "./floor";
