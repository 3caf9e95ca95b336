import { strict as assert } from "node:assert";
import { liveTraining, resetPlotlyInline } from "../lib/plot";

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

  it("loads plotly.js once, then updates one display in place, throttled, ending with the final curves", () => {
    const live = liveTraining({ title: "t", intervalMs: 60_000 });
    for (let i = 0; i < 500; i++) live.onPass({ pass: i, num_passes: 500, train_loss: 1 / (i + 1), test_loss: 2 / (i + 1) });
    live.finish();
    const [loader, ...views] = sent;
    assert.ok(String(loader.msg.data["text/html"]).length > 1_000_000, "plotly.js in its own display");
    assert.equal(views.length, 2, "one draw at the start, one at the end (interval 60 s)");
    assert.equal(views[0].update, false);
    assert.equal(views[1].update, true);
    assert.ok(views[0].msg.transient.display_id && views[0].msg.transient.display_id === views[1].msg.transient.display_id);
    assert.ok(String(views[1].msg.data["text/html"]).length < 100_000, "updates never carry plotly.js");
    const fig = views[1].msg.data["application/vnd.plotly.v1+json"] as { data: { y: number[] }[] };
    assert.equal(fig.data[0].y.length, 500);
    assert.equal(fig.data[1].y.length, 500);
    assert.match(String(views[1].msg.data["text/plain"]), /terminé : passe 500\/500/);
  });

  it("draws nothing outside a notebook", () => {
    jupyter.lastWriteDisplayData = null;
    const live = liveTraining();
    live.onPass({ pass: 0, num_passes: 1, train_loss: 1 });
    live.finish();
    assert.equal(live.drawingMs, 0);
  });
});
