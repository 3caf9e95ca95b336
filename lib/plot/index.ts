export * from "./figure";
export { figureHtml, pageHtml, resetPlotlyInline } from "./html";
export { show, showHtml, displayBundle, figureBundle, inNotebook } from "./display";
export type { MimeBundle } from "./display";
export { liveTraining } from "./live";
export type { LiveTraining } from "./live";
export { weightImages, confusionChart, misclassifiedGrid } from "./diagnostics";
export { graphSvg, svgDataUri, oneLayerGraph, twoLayersGraph } from "./graph";
export type { GraphSpec, GraphNode, GraphEdge } from "./graph";
