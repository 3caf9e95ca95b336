/**
 * The lib as a student's copy has it (`nn-workbook assign` writes it as
 * lib/index.ts of the student folder): what NumPy, matplotlib and the
 * workbook give — arrays, data, plots, tables, gradient checking, the
 * training driver, the self-checks — and none of the functions the handout
 * asks the student to write.
 */
export * from "./array";
export * from "./npy";
export * from "./data";
export * from "./plot";
export * from "./table";
export * from "./metrics";
export * from "./training";
export * from "./workbook";
export * from "./answers";
export { check } from "./grading";
