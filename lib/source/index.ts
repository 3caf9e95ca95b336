export { showSource, sourceOf } from "./source";
export type { SourceSnippet } from "./source";
