export { copie } from "./parameters";
export type { OneLayerParameters, TwoLayersParameters } from "./parameters";
export { charger_cahier, notebookDeclarations, notebookCode } from "./carry";
