export { showTable, tableHtml } from "./table";
export type { TableLike } from "./table";
// danfojs is not re-exported here: it loads its own TensorFlow.js; import it
// from "dist/lib/table/danfo" where a DataFrame is wanted.
