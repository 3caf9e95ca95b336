import { strict as assert } from "node:assert";
import { join } from "node:path";
import { notebookParameters, rewriteParameters } from "../cli/parameters";
import { gradingParameters } from "../cli/grade";
import { readNotebook, sourceText } from "../cli/notebook-json";
import { NOTEBOOKS } from "../cli/paths";

describe("the grader's shorter runs (grading/parameters.json)", () => {
  it("name parameters each notebook declares, and are shorter than the notebook's own", () => {
    const all = gradingParameters();
    assert.ok(Object.keys(all).length > 0);
    for (const [file, values] of Object.entries(all)) {
      const declared = notebookParameters(readNotebook(join(NOTEBOOKS, file)), file);
      for (const [name, v] of Object.entries(values)) {
        const own = declared.find((d) => d.name === name);
        assert.ok(own, `${file} declares ${name}`);
        assert.ok(typeof v === "number" && v < Number(own!.literal), `${file}: ${name} = ${v} is shorter than ${own!.literal}`);
      }
    }
  });

  it("rewrite the parameters cell in place: same cells, each changed line says what it was", () => {
    const nb = readNotebook(join(NOTEBOOKS, "2-deux-couches.ipynb"));
    const out = rewriteParameters(nb, { num_passes: 150, absent: 3 }, "valeur du correcteur");
    assert.equal(out.cells.length, nb.cells.length);
    const at = nb.cells.findIndex((c) => c.metadata.tags?.includes("parameters"));
    const before = sourceText(nb.cells[at].source).split("\n"), after = sourceText(out.cells[at].source).split("\n");
    const changed = after.filter((l, i) => l !== before[i]);
    assert.deepEqual(changed, ["const num_passes = 150; // valeur du correcteur (2000 dans le cahier)"]);
    assert.equal(notebookParameters(out, "x").find((p) => p.name === "num_passes")?.literal, "150");
    assert.deepEqual(out.cells.filter((_, i) => i !== at), nb.cells.filter((_, i) => i !== at), "no other cell changes");
  });
});
