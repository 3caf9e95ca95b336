/**
 * The handout's computational graphs (its figures were lost in the text we
 * have), drawn as standalone SVG: inputs and parameters on the left, the
 * loss on the right, and, for backpropagation, the gradient carried back
 * along each edge written under it in red. The SVG needs no script, so it
 * renders the same in JupyterLab, in exported HTML and in the student
 * version (where it sits in a markdown cell as a data: URI image).
 */
import { escapeHtml as esc } from "./html";

export interface GraphNode {
  id: string;
  label: string;
  /** Column and row on a grid (columns left to right). */
  col: number;
  row: number;
  /** "input": data (x, y); "param": a learned parameter; "op": an operation; "value": an intermediate; "loss": L. */
  kind: "input" | "param" | "op" | "value" | "loss";
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The gradient carried back along this edge (backpropagation figures). */
  grad?: string;
}

export interface GraphSpec {
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const FILL: Record<GraphNode["kind"], string> = { input: "#e8f1fb", param: "#fdf0d5", op: "#ffffff", value: "#eef7ee", loss: "#fbe3e3" };
const ROW_H = 74, NODE_H = 34, PAD = 24, TITLE_H = 30;
/** A node is as wide as its label (about 8 px a character at 14 px). */
const nodeWidth = (n: GraphNode) => Math.max(48, Math.round(8.2 * [...n.label].length + 18));

/** The graph as an SVG document (with its xmlns, so that it also works as an image file or a data: URI). */
export function graphSvg(g: GraphSpec): string {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (const e of g.edges) for (const end of [e.from, e.to]) if (!byId.has(end)) throw new Error(`graphSvg: edge ${e.from} → ${e.to} names no node '${end}'`);
  const cols = Math.max(...g.nodes.map((n) => n.col)) + 1, rows = Math.max(...g.nodes.map((n) => n.row)) + 1;
  // Each column as wide as its widest node; the gap leaves room for the gradient labels.
  const colW = Array.from({ length: cols }, (_, c) => Math.max(0, ...g.nodes.filter((n) => n.col === c).map(nodeWidth)));
  const GAP = Math.max(70, ...g.edges.map((e) => (e.grad ? Math.round(7 * [...e.grad].length + 30) : 0)));
  const left: number[] = [];
  colW.reduce((x, w, c) => ((left[c] = x), x + w + GAP), PAD);
  const W = left[cols - 1] + colW[cols - 1] + PAD, H = TITLE_H + PAD * 2 + (rows - 1) * ROW_H + NODE_H;
  const cx = (n: GraphNode) => left[n.col] + colW[n.col] / 2;
  const cy = (n: GraphNode) => TITLE_H + PAD + NODE_H / 2 + n.row * ROW_H;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="14" role="img" aria-label="${esc(g.title)}">`);
  parts.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>`);
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-weight="bold">${esc(g.title)}</text>`);
  for (const e of g.edges) {
    const a = byId.get(e.from)!, b = byId.get(e.to)!;
    const x1 = cx(a) + nodeWidth(a) / 2, y1 = cy(a), x2 = cx(b) - nodeWidth(b) / 2, y2 = cy(b);
    parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#444" stroke-width="1.5" marker-end="url(#arrow)"/>`);
    if (e.grad) {
      // Halfway: above a line going down, below a line going up or level.
      const t = 0.5;
      const mx = x1 + t * (x2 - x1), my = y1 + t * (y2 - y1);
      // Off the line: below a level edge, to the upper right of a falling one, to the lower right of a rising one.
      const [tx, ty, anchor] = y1 === y2 ? [mx, my + 17, "middle"] : y2 > y1 ? [mx + 8, my - 6, "start"] : [mx + 8, my + 16, "start"];
      parts.push(`<text x="${tx}" y="${ty}" text-anchor="${anchor}" font-size="12" fill="#c0392b">${esc(e.grad)}</text>`);
    }
  }
  for (const n of g.nodes) {
    const rx = n.kind === "op" ? NODE_H / 2 : 6;
    parts.push(`<rect x="${cx(n) - nodeWidth(n) / 2}" y="${cy(n) - NODE_H / 2}" width="${nodeWidth(n)}" height="${NODE_H}" rx="${rx}" fill="${FILL[n.kind]}" stroke="#333"/>`);
    parts.push(`<text x="${cx(n)}" y="${cy(n) + 5}" text-anchor="middle"${n.kind === "op" ? ' font-style="italic"' : ""}>${esc(n.label)}</text>`);
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** The SVG as a data: URI, for a Markdown image `![alt](data:…)`. */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}

/** Part 1: x, W, b → z = x·W + b → ŷ = softmax(z) → L(y, ŷ). */
export function oneLayerGraph(backprop = false): GraphSpec {
  const g = (s: string) => (backprop ? s : undefined);
  return {
    title: backprop ? "Une couche : rétropropagation (en rouge : le gradient de L par rapport à l'origine de chaque flèche)" : "Réseau à une couche : graphe de calcul",
    nodes: [
      { id: "W", label: "W", col: 0, row: 0, kind: "param" },
      { id: "x", label: "x", col: 0, row: 1, kind: "input" },
      { id: "b", label: "b", col: 0, row: 2, kind: "param" },
      { id: "z", label: "z = x·W + b", col: 1, row: 1, kind: "op" },
      { id: "s", label: "ŷ = softmax(z)", col: 2, row: 1, kind: "op" },
      { id: "y", label: "y", col: 2, row: 2, kind: "input" },
      { id: "L", label: "L(y, ŷ)", col: 3, row: 1, kind: "loss" },
    ],
    edges: [
      { from: "x", to: "z" },
      { from: "W", to: "z", grad: g("xᵀ·(ŷ − y)") },
      { from: "b", to: "z", grad: g("Σ (ŷ − y)") },
      { from: "z", to: "s", grad: g("ŷ − y") },
      { from: "s", to: "L" },
      { from: "y", to: "L" },
    ],
  };
}

/** Part 2: x, W1, b1 → z1 → tanh → a1; a1, W2, b2 → z2 → softmax → ŷ → L(y, ŷ). */
export function twoLayersGraph(backprop = false): GraphSpec {
  const g = (s: string) => (backprop ? s : undefined);
  return {
    title: backprop ? "Deux couches : rétropropagation (en rouge : le gradient de L par rapport à l'origine de chaque flèche)" : "Réseau à deux couches : graphe de calcul",
    nodes: [
      { id: "W1", label: "W1", col: 0, row: 0, kind: "param" },
      { id: "x", label: "x", col: 0, row: 1, kind: "input" },
      { id: "b1", label: "b1", col: 0, row: 2, kind: "param" },
      { id: "z1", label: "z1 = x·W1 + b1", col: 1, row: 1, kind: "op" },
      { id: "W2", label: "W2", col: 2, row: 0, kind: "param" },
      { id: "a1", label: "a1 = tanh(z1)", col: 2, row: 1, kind: "op" },
      { id: "b2", label: "b2", col: 2, row: 2, kind: "param" },
      { id: "z2", label: "z2 = a1·W2 + b2", col: 3, row: 1, kind: "op" },
      { id: "s", label: "ŷ = softmax(z2)", col: 4, row: 1, kind: "op" },
      { id: "y", label: "y", col: 4, row: 2, kind: "input" },
      { id: "L", label: "L(y, ŷ)", col: 5, row: 1, kind: "loss" },
    ],
    edges: [
      { from: "x", to: "z1" },
      { from: "W1", to: "z1", grad: g("xᵀ·δ2") },
      { from: "b1", to: "z1", grad: g("Σ δ2") },
      { from: "z1", to: "a1", grad: g("δ2") },
      { from: "a1", to: "z2", grad: g("δ3·W2ᵀ") },
      { from: "W2", to: "z2", grad: g("a1ᵀ·δ3") },
      { from: "b2", to: "z2", grad: g("Σ δ3") },
      { from: "z2", to: "s", grad: g("δ3 = ŷ − y") },
      { from: "s", to: "L" },
      { from: "y", to: "L" },
    ],
  };
}
