import { strict as assert } from "node:assert";
import { lineChart, imageGrid, describe as describeFigure, figureBundle, figureHtml, pageHtml, resetPlotlyInline } from "../lib/plot";
import { tableHtml } from "../lib/table";
import { Matrix } from "../lib/array";

describe("plots", () => {
  it("lineChart numbers x from 0 and turns NaN/Infinity into gaps (null)", () => {
    const fig = lineChart([{ y: [3, NaN, 1, Infinity], name: "train" }], { title: "Loss", logy: true });
    assert.deepEqual(fig.data[0].x, [0, 1, 2, 3]);
    assert.deepEqual(fig.data[0].y, [3, null, 1, null]);
    assert.equal((fig.layout.yaxis as { type: string }).type, "log");
    assert.equal(describeFigure(fig), '<Figure "Loss": train: 4 points, last 1.000>');
  });

  it("a figure's bundle carries plotly JSON, HTML and text", () => {
    const b = figureBundle(lineChart([{ y: [1, 2] }]));
    assert.deepEqual(Object.keys(b).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
  });

  it("inlines plotly.js in the first notebook figure only", () => {
    resetPlotlyInline();
    const fig = lineChart([{ y: [1, 2] }]);
    const first = figureHtml(fig), second = figureHtml(fig);
    assert.ok(first.length > 1_000_000, "the first figure carries plotly.js");
    assert.ok(second.length < 5_000, "later figures reference window.Plotly");
    assert.ok(!/<\/script/i.test(first.slice(first.indexOf("<script") + 7, first.indexOf("})(undefined);</script>"))), "no </script> inside the inlined bundle");
    const page = pageHtml("t <x>", [fig, fig]);
    assert.equal(page.split("window.Plotly = Plotly").length - 1, 1);
    assert.match(page, /<title>t &lt;x><\/title>/);
  });

  it("imageGrid lays out one heatmap per image, upright, and checks the image size", () => {
    const imgs = new Matrix(3, 784);
    imgs.set(0, 0, 1); // top-left pixel of image 0
    const fig = imageGrid(imgs, ["a", "b", "c"], { columns: 2 });
    assert.equal(fig.data.length, 3);
    const z = fig.data[0].z as number[][];
    assert.equal(z[27][0], 1, "row 0 of the image is drawn at the top (last row of z)");
    assert.throws(() => imageGrid(new Matrix(1, 10)), /not 28×28 images/);
  });

  it("tables escape their cells", () => {
    assert.match(tableHtml({ columns: ["a"], values: [["<b>"]] }), /<td>&lt;b&gt;<\/td>/);
  });
});
