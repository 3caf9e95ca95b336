export { train } from "./train";
export type { DescentStep, PassInfo, TrainOptions, TrainingHistory, TrainingResult } from "./train";
export { LossWatch, DIVERGENCE_PATIENCE, divergedAt } from "./watch";
