/** nn-workbook: the lab's functions, its data and its plots. */
export * from "./array";
export * from "./npy";
export * from "./data";
export * from "./plot";
export * from "./table";
export * from "./nn";
export * from "./metrics";
export * from "./training";
export * from "./workbook";
export * from "./source";
export * from "./answers";
export * from "./grading";
export * from "./text";
