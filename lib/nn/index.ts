export { softmax } from "./softmax";
export { evaluate_loss, categorical_cross_entropy, LOG_EPSILON } from "./loss";
export { accuracy } from "./accuracy";
export * from "./one-layer";
export * from "./two-layers";
