export { load_data, DataError, CLASS_DIGITS, DATA_DIR } from "./load";
export type { Dataset } from "./load";
export { DATASETS, buildDataset, checksums } from "./mnist";
