import { strict as assert } from "node:assert";
import { graphSvg, svgDataUri, oneLayerGraph, twoLayersGraph } from "../lib/plot";
import type { GraphSpec } from "../lib/plot";

describe("computational graphs (lib/plot/graph)", () => {
  const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

  for (const [name, spec] of [["one layer", oneLayerGraph], ["two layers", twoLayersGraph]] as const) {
    it(`${name}: one box per node, one arrow per edge, gradients only on the backpropagation figure`, () => {
      const plain = spec(), back = spec(true);
      const svg = graphSvg(plain), svgBack = graphSvg(back);
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* width="\d+" height="\d+"/);
      assert.equal(count(svg, /<rect x=/g), plain.nodes.length);
      assert.equal(count(svg, /<line /g), plain.edges.length);
      assert.equal(count(svg, /fill="#c0392b"/g), 0);
      assert.equal(count(svgBack, /fill="#c0392b"/g), back.edges.filter((e) => e.grad).length);
      for (const n of plain.nodes) assert.ok(svg.includes(`>${n.label.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text>`), n.label);
      // every parameter gets its gradient on the backpropagation figure
      for (const p of back.nodes.filter((n) => n.kind === "param")) assert.ok(back.edges.some((e) => e.from === p.id && e.grad), p.id);
      assert.match(svgDataUri(svg), /^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/);
      assert.equal(Buffer.from(svgDataUri(svg).split(",")[1], "base64").toString("utf8"), svg);
    });
  }

  it("names a dangling edge", () => {
    const bad: GraphSpec = { title: "t", nodes: [{ id: "a", label: "a", col: 0, row: 0, kind: "input" }], edges: [{ from: "a", to: "b" }] };
    assert.throws(() => graphSvg(bad), /edge a → b names no node 'b'/);
  });
});
