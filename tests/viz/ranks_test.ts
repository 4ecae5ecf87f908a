import assert from "node:assert/strict";
import type { ResultRow } from "../../lib/results/mod.ts";
import { averageRankCurves, rankFigure } from "../../lib/viz/ranks.ts";

const row = (
  task: string,
  method: string,
  seed: number,
  step: number,
  value: number,
): ResultRow => ({
  suite: "smbo",
  task,
  method,
  seed,
  step,
  metric: "regret",
  value,
});

Deno.test("averageRankCurves: ranks per (task, seed) problem, ties shared, NaN last", () => {
  const data = [
    row("a", "x", 0, 1, 1),
    row("a", "y", 0, 1, 2),
    row("a", "z", 0, 1, 3),
    row("b", "x", 0, 1, 5),
    row("b", "y", 0, 1, 5),
    row("b", "z", 0, 1, NaN),
    // Incomplete problem at step 1 (z missing): ignored.
    row("c", "x", 0, 1, 9),
    row("c", "y", 0, 1, 0),
    // Step 2 only has problem a.
    row("a", "x", 0, 2, 3),
    row("a", "y", 0, 2, 2),
    row("a", "z", 0, 2, 1),
    // Aggregated rows never count.
    row("a", "peer", -1, 2, 0),
  ];
  const curves = averageRankCurves(data, { metric: "regret" });
  assert.deepEqual(curves.methods, ["x", "y", "z"]);
  assert.deepEqual(curves.steps, [1, 2]);
  assert.deepEqual(curves.problems, [2, 1]);
  // Step 1: problem a ranks 1,2,3; problem b ranks 1.5,1.5,3.
  assert.deepEqual(curves.ranks.map((r) => r[0]), [1.25, 1.75, 3]);
  assert.deepEqual(curves.ranks.map((r) => r[1]), [3, 2, 1]);
});

Deno.test("averageRankCurves: ±Infinity ranks last like NaN (a diverged run)", () => {
  const data = [
    row("a", "x", 0, 1, -Infinity),
    row("a", "y", 0, 1, 2),
    row("a", "z", 0, 1, Infinity),
    row("b", "x", 0, 1, NaN),
    row("b", "y", 0, 1, 1),
    row("b", "z", 0, 1, 0),
  ];
  assert.deepEqual(averageRankCurves(data, { metric: "regret" }).ranks, [[2.75], [1.5], [1.75]]);
});

Deno.test("rankFigure: one line per method; bad options rejected", () => {
  const data = [row("a", "x", 0, 1, 1), row("a", "y", 0, 1, 2)];
  const figure = rankFigure(data, { metric: "regret" });
  assert.deepEqual(figure.data.map((t) => t.y), [[1], [2]]);
  assert.throws(
    () => rankFigure(data, { metric: "regret", methods: ["x"] }),
    /options.methods: must name at least 2 methods/,
  );
  assert.throws(
    () => averageRankCurves([{ ...data[0], value: "1" as never }], { metric: "regret" }),
    /rows\[0\]\.value/,
  );
});
