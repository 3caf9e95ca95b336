export { record, VALUES_MIME } from "./record";
export type { Recorded } from "./record";
