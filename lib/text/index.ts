export { typeset, frenchProblems, NBSP, NNBSP } from "./french";
export type { FrenchProblem } from "./french";
