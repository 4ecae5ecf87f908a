/**
 * The study plots read a stored study's trials as the storage reads them: a grid value that
 * earlier metahpo versions accepted (`STORED_GRID_TOLERANCE`) is drawn as stored and encoded at
 * its grid point, so that no trial of such a study is left out; a value further off the grid is
 * still outside the space.
 *
 * @module
 */
import assert from "node:assert/strict";
import { minimize } from "../../lib/smbo/minimize.ts";
import { loadStudy, openStorage } from "../../lib/storage/mod.ts";
import {
  contourFigure,
  edfFigure,
  optimizationHistoryFigure,
  parallelCoordinateFigure,
  sliceFigure,
} from "../../lib/viz/study_plots.ts";
import {
  conditionalGridSpace,
  gridSpace,
  OLD_CONDITIONAL_TRIALS,
  OLD_GRID_TRIALS,
  snappedTrials,
  storeOldStudy,
} from "./_stored_grid_study.ts";

const title = (figure: { layout: Record<string, unknown> }) =>
  (figure.layout.title as { text: string }).text;

Deno.test("every study plot of a stored study with grid values an earlier metahpo accepted draws all its trials, as stored", async () => {
  const storage = await openStorage("memory:");
  try {
    await storeOldStudy(storage, "old", gridSpace, OLD_GRID_TRIALS);
    const study = await loadStudy({ storage, name: "old" });
    try {
      const plain = { trials: snappedTrials(OLD_GRID_TRIALS), space: gridSpace };
      const stored = OLD_GRID_TRIALS.map((t) => t.params.r);
      const parallel = parallelCoordinateFigure(study);
      assert.match(title(parallel), /\(6 trials: 6 complete\)/);
      const dimensions =
        (parallel.data[0] as { dimensions: { label: string; values: unknown[] }[] })
          .dimensions;
      assert.deepEqual(dimensions.find((d) => d.label === "r")!.values, stored);
      const slice = sliceFigure(study);
      assert.match(title(slice), /\(6 trials: 6 complete\)/);
      assert.deepEqual(slice.data[0].x, stored);
      // The surface over w × x, r held at the best trial's 0.3333333333: the surrogate sees each
      // stored value at its grid point, as for the same trials at their exact grid points.
      const contour = contourFigure(study, { params: ["w", "x"], gridSize: 5 });
      assert.deepEqual(contour, contourFigure(plain, { params: ["w", "x"], gridSize: 5 }));
      assert.equal(contour.data[2].name, "best (trial 3)");
      assert.match(title(contour), /\(6 trials\)/);
      // The plots that read no parameter, as before.
      assert.match(title(optimizationHistoryFigure(study)), /\(6 trials: 6 complete\)/);
      assert.deepEqual(edfFigure(study), edfFigure({ ...plain, name: "old" }));
    } finally {
      await study.close();
    }
  } finally {
    await storage.close();
  }
});

Deno.test("the contour of a stored conditional study holds the best trial's stored grid value at its grid point", async () => {
  const storage = await openStorage("memory:");
  try {
    await storeOldStudy(storage, "cond", conditionalGridSpace, OLD_CONDITIONAL_TRIALS);
    const study = await loadStudy({ storage, name: "cond" });
    try {
      const plain = { trials: snappedTrials(OLD_CONDITIONAL_TRIALS), space: conditionalGridSpace };
      const contour = contourFigure(study, { params: ["opt", "w"], gridSize: 5 });
      assert.deepEqual(contour, contourFigure(plain, { params: ["opt", "w"], gridSize: 5 }));
      assert.equal(contour.data[2].name, "best (trial 2)");
      assert.match(title(parallelCoordinateFigure(study)), /\(6 trials: 6 complete;/);
    } finally {
      await study.close();
    }
  } finally {
    await storage.close();
  }
});

Deno.test("the result of minimize resuming such a study is plotted with all its trials", async () => {
  const storage = await openStorage("memory:");
  try {
    await storeOldStudy(storage, "old", gridSpace, OLD_GRID_TRIALS);
    const result = await minimize(() => 1, gridSpace, {
      storage,
      study: "old",
      budget: 6,
      seed: 0,
      initialDesignSize: 5,
    });
    try {
      assert.equal(result.trials.length, 6);
      assert.match(title(sliceFigure(result)), /\(6 trials: 6 complete\)/);
      assert.match(
        title(contourFigure(result, { params: ["w", "x"], gridSize: 5 })),
        /\(6 trials\)/,
      );
    } finally {
      await result.study.close();
    }
  } finally {
    await storage.close();
  }
});

Deno.test("trials given with a space are read the same way; a value further off the grid is outside the space", async () => {
  const storage = await openStorage("memory:");
  try {
    await storeOldStudy(storage, "old", gridSpace, OLD_GRID_TRIALS);
    const study = await loadStudy({ storage, name: "old" });
    try {
      // Hand-built, or a stored study's trials taken out of it with a space.
      const handBuilt = snappedTrials(OLD_GRID_TRIALS).map((t, i) => ({
        ...t,
        params: OLD_GRID_TRIALS[i].params,
      }));
      for (const trials of [handBuilt, study.trials]) {
        const figure = sliceFigure({ trials, space: gridSpace });
        assert.match(title(figure), /\(6 trials: 6 complete\)/);
      }
      // 0.34 is 0.0067 from the grid point 1/3: not a grid value, left out with its reason.
      const off = handBuilt.map((t, i) => i === 0 ? { ...t, params: { ...t.params, r: 0.34 } } : t);
      const figure = sliceFigure({ trials: off, space: gridSpace });
      assert.match(title(figure), /\(6 trials: 5 complete, 1 excluded\)/);
    } finally {
      await study.close();
    }
  } finally {
    await storage.close();
  }
});
