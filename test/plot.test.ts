import { strict as assert } from "node:assert";
import { lineChart, imageGrid, describe as describeFigure, figureBundle, figureHtml, pageHtml, resetPlotlyInline, weightImages, confusionChart, misclassifiedGrid } from "../lib/plot";
import { confusion_matrix, misclassified } from "../lib/metrics";
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

describe("figures of a trained net", () => {
  // Three samples of classes 0, 1, 2; the net gets the last one wrong (says 0, sure at 70 %).
  const y = Matrix.from([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const y_hat = Matrix.from([[0.8, 0.1, 0.1], [0.2, 0.5, 0.3], [0.7, 0.1, 0.2]]);

  it("confusion_matrix counts (true, predicted) pairs and checks shapes", () => {
    assert.deepEqual(confusion_matrix(y, y_hat), [[1, 0, 0], [0, 1, 0], [1, 0, 0]]);
    assert.throws(() => confusion_matrix(y, y_hat.sliceRows(0, 2)), /differ in shape/);
  });

  it("misclassified lists the mistakes, most confident first", () => {
    const y2 = Matrix.from([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]]);
    const p2 = Matrix.from([[0.1, 0.6, 0.3], [0.2, 0.5, 0.3], [0.9, 0.05, 0.05], [0.2, 0.3, 0.5]]);
    assert.deepEqual(misclassified(y2, p2).map((m) => [m.index, m.truth, m.predicted, m.confidence]), [[2, 2, 0, 0.9], [0, 0, 1, 0.6], [3, 1, 2, 0.5]]);
  });

  it("confusionChart draws the first true class on the top row with its counts", () => {
    const fig = confusionChart(y, y_hat, ["1", "7", "8"]);
    assert.deepEqual(fig.data[0].z, [[1, 0, 0], [0, 1, 0], [1, 0, 0]]);
    const yaxis = fig.layout.yaxis as { autorange: string; ticktext: string[] };
    assert.deepEqual([yaxis.autorange, yaxis.ticktext], ["reversed", ["1", "7", "8"]]);
    const notes = fig.layout.annotations as { text: string; x: number; y: number }[];
    assert.equal(notes.find((a) => a.x === 0 && a.y === 2)?.text, "1", "the mistake: true 8 (row 2), predicted 1 (column 0)");
    assert.throws(() => confusionChart(y, y_hat, ["1", "7"]), /2 labels for 3 classes/);
  });

  it("weightImages shows each column of W as an image on one symmetric scale", () => {
    const W = new Matrix(784, 3);
    W.set(0, 1, -2); // top-left pixel, class 1
    W.set(783, 2, 0.5);
    const fig = weightImages(W, ["1", "7", "8"]);
    assert.equal(fig.data.length, 3);
    assert.equal((fig.data[1].z as number[][])[27][0], -2);
    for (const t of fig.data) assert.deepEqual([t.zmin, t.zmax, t.colorscale], [-2, 2, "RdBu"]);
    assert.throws(() => weightImages(new Matrix(100, 3), ["1", "7", "8"]), /not 28×28/);
  });

  it("misclassifiedGrid shows the wrong images with predicted and true labels", () => {
    const x = new Matrix(3, 784);
    x.set(2, 0, 1);
    const fig = misclassifiedGrid(x, y, y_hat, ["1", "7", "8"]);
    assert.equal(fig.data.length, 1);
    assert.equal((fig.data[0].z as number[][])[27][0], 1, "image of sample 2");
    assert.deepEqual((fig.layout.annotations as { text: string }[]).map((a) => a.text), ["vrai 8, prédit 1 (70 %)"]);
    assert.equal(misclassifiedGrid(x, y, y, ["1", "7", "8"]).data.length, 0, "no mistake, no image");
  });
});
