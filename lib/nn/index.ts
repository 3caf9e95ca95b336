export { softmax } from "./softmax";
export { evaluate_loss, categorical_cross_entropy, LOG_EPSILON } from "./loss";
export { accuracy } from "./accuracy";
export { gradient_descent, DIVERGENCE_PATIENCE } from "./descent";
export type { Network, PassInfo, GradientDescentOptions, TrainingHistory, TrainingResult } from "./descent";
export * from "./one-layer";
export { numericGradient, relativeError } from "./gradcheck";
export * from "./two-layers";
