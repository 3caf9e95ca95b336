import { strict as assert } from "node:assert";
import { liveTraining, resetPlotlyInline } from "../lib/plot";
import { lineSvg } from "../lib/plot/svg";

type Msg = { data: Record<string, unknown>; transient: { display_id?: string } };

describe("live training view", () => {
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: ((m: Msg, update: boolean) => void) | null };
  let sent: { msg: Msg; update: boolean }[] = [];
  beforeEach(() => {
    sent = [];
    resetPlotlyInline();
    jupyter.lastWriteDisplayData = (msg, update) => sent.push({ msg, update });
  });
  afterEach(() => (jupyter.lastWriteDisplayData = null));

  it("updates one display in place, throttled: SVG curves while running, the plotly figure at the end", () => {
    const live = liveTraining({ title: "t", intervalMs: 60_000, logy: true });
    for (let i = 0; i < 500; i++) live.onPass({ pass: i, num_passes: 500, train_loss: 1 / (i + 1), test_loss: 2 / (i + 1) });
    live.finish();
    assert.equal(sent.length, 2, "one draw at the start, one at the end (interval 60 s)");
    const [first, final] = sent;
    assert.deepEqual([first.update, final.update], [false, true]);
    assert.ok(first.msg.transient.display_id && first.msg.transient.display_id === final.msg.transient.display_id);
    // While running: no plotly JSON (JupyterLab's plotly renderer would keep its first graph) and no script.
    assert.deepEqual(Object.keys(first.msg.data).sort(), ["text/html", "text/plain"]);
    assert.match(String(first.msg.data["text/html"]), /<progress max="100" value="0"[^]*<svg/);
    assert.doesNotMatch(String(first.msg.data["text/html"]), /<script/);
    assert.match(String(first.msg.data["text/plain"]), /en cours : passe 1\/500/);
    const fig = final.msg.data["application/vnd.plotly.v1+json"] as { data: { y: number[] }[] };
    assert.equal(fig.data[0].y.length, 500);
    assert.equal(fig.data[1].y.length, 500);
    assert.match(String(final.msg.data["text/plain"]), /terminé : passe 500\/500/);
    assert.match(String(final.msg.data["text/html"]), /value="100"/);
  });

  it("draws nothing outside a notebook", () => {
    jupyter.lastWriteDisplayData = null;
    const live = liveTraining();
    live.onPass({ pass: 0, num_passes: 1, train_loss: 1 });
    live.finish();
    assert.equal(live.drawingMs, 0);
  });
});

describe("lineSvg", () => {
  it("draws each series as a path, thins long ones, leaves gaps for values it cannot place", () => {
    const svg = lineSvg([{ y: Array.from({ length: 2001 }, (_, i) => 1 / (i + 1)), name: "a <b>" }, { y: [1, NaN, 0, 0.5], dash: true }], { logy: true, title: "T" });
    const paths = [...svg.matchAll(/<path d="([^"]*)"([^/]*)\/>/g)];
    assert.equal(paths.length, 2);
    const moves = (d: string) => d.match(/[ML]/g)!.length;
    assert.ok(moves(paths[0][1]) <= 401 && moves(paths[0][1]) > 300, `${moves(paths[0][1])} points drawn for 2001`);
    assert.ok(paths[0][1].endsWith(`${(64 + 526).toFixed(1)},${(300 - 36).toFixed(1)}`), "the last point is kept, at the bottom right");
    assert.equal(paths[1][1].match(/M/g)!.length, 2, "NaN and 0 (log axis) break the line");
    assert.match(paths[1][2], /stroke-dasharray/);
    assert.match(svg, /a &lt;b&gt;/);
  });
});
