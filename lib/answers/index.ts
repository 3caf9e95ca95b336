export { record, VALUES_MIME } from "./record";
export type { Recorded } from "./record";
export { renderTemplate, evaluate, frenchNumber, templateKeys, TemplateError } from "./template";
export type { Value, RenderOptions } from "./template";
export { CLAIMS, checkClaims, Values } from "./claims";
export type { Claim } from "./claims";
