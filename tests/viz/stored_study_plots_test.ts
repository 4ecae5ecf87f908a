/**
 * The study plots drawn from a stored study: a study run into SQLite, loaded back with
 * `loadStudy` (its space rebuilt from the stored definition), given directly to the plots.
 */
import assert from "node:assert/strict";
import { categorical, defineSpace, float, int } from "../../lib/space/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { loadStudy } from "../../lib/storage/mod.ts";
import {
  contourFigure,
  edfFigure,
  optimizationHistoryFigure,
  parallelCoordinateFigure,
  sliceFigure,
} from "../../lib/viz/study_plots.ts";
import { paramImportanceFigure, paramImportances } from "../../lib/viz/importance.ts";

const space = defineSpace({
  lr: float(1e-4, 1, { log: true }),
  units: int(8, 64),
  act: categorical(["relu", "tanh"]),
});

Deno.test("study plots and importances draw a stored study loaded from SQLite", async () => {
  const path = await Deno.makeTempFile({ suffix: ".db" });
  try {
    const run = await minimize(
      (p, trial) => {
        if (trial.id === 4) throw new Error("diverged");
        return 10 * (Math.log10(p.lr) + 2) ** 2 + ((p.units - 32) / 32) ** 2 +
          (p.act === "tanh" ? 0.01 : 0);
      },
      space,
      { storage: `sqlite:${path}`, study: "mlp", budget: 14, seed: 3, proposer: randomSearch() },
    );
    await run.study.close();
    const study = await loadStudy({ storage: `sqlite:${path}`, name: "mlp" });
    try {
      assert.equal(study.trials.length, 14);
      const history = optimizationHistoryFigure(study);
      const values = history.data.find((t) => t.name === "objective value")?.y as number[];
      const complete = study.trials.filter((t) => t.status === "complete");
      assert.deepEqual(values, complete.map((t) => t.value));
      // the failed trial is marked with its error, and counted in the title
      const failed = history.data.find((t) => (t.name as string).startsWith("failed"));
      assert.ok(failed, "failed trials are drawn");
      assert.match(JSON.stringify(history.layout.title), /1 failed/);
      // the stored space is used: a log axis for lr
      const slice = sliceFigure(study);
      assert.equal(JSON.stringify(slice.layout).includes('"type":"log"'), true);
      // importances: lr matters most, on the surrogate fitted to the stored trials
      const importances = paramImportances(study, { seed: 0 });
      assert.equal(importances.params[0].name, "lr");
      paramImportanceFigure(importances);
      // the other plots take it too, and so does the result of a stored minimize
      parallelCoordinateFigure(study);
      contourFigure(study, { params: ["lr", "units"] });
      edfFigure([study, { trials: run.trials, space, name: "run" }]);
      optimizationHistoryFigure(run);
    } finally {
      await study.close();
    }
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(path + suffix).catch(() => {});
  }
});
