/**
 * Parameter importances of a stored study read its trials as the storage reads them: a grid value
 * that earlier metahpo versions accepted (`STORED_GRID_TOLERANCE`) is encoded at its grid point,
 * and no trial is left out.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadStudy, openStorage } from "../../lib/storage/mod.ts";
import { paramImportanceFigure, paramImportances } from "../../lib/viz/importance.ts";
import { gridSpace, OLD_GRID_TRIALS, snappedTrials, storeOldStudy } from "./_stored_grid_study.ts";

Deno.test("the importances of a stored study with grid values an earlier metahpo accepted use all its trials, at their grid points", async () => {
  const storage = await openStorage("memory:");
  try {
    await storeOldStudy(storage, "old", gridSpace, OLD_GRID_TRIALS);
    const study = await loadStudy({ storage, name: "old" });
    try {
      const importances = paramImportances(study, { seed: 0 });
      assert.equal(importances.trials, 6);
      assert.deepEqual(
        importances,
        paramImportances({ trials: snappedTrials(OLD_GRID_TRIALS), space: gridSpace }, { seed: 0 }),
      );
      assert.match(
        (paramImportanceFigure(importances).layout.title as { text: string }).text,
        /6 trials\)$/,
      );
    } finally {
      await study.close();
    }
  } finally {
    await storage.close();
  }
});
