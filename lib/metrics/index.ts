export { categorical_cross_entropy } from "./cross-entropy";
export { confusion_matrix, misclassified } from "./confusion";
export type { Mistake } from "./confusion";
export { numericGradient, relativeError } from "./gradcheck";
export { flooredLossGradient } from "./floor";
export type { FlooredLoss } from "./floor";
