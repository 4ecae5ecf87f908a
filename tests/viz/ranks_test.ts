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

Deno.test("rankFigure: one line per method over several steps; bad options rejected", () => {
  const data = [
    row("a", "x", 0, 1, 1),
    row("a", "y", 0, 1, 2),
    row("a", "x", 0, 2, 2),
    row("a", "y", 0, 2, 1),
  ];
  const figure = rankFigure(data, { metric: "regret" });
  assert.deepEqual(figure.data.map((t) => [t.type, t.mode, t.x, t.y]), [
    ["scatter", "lines", [1, 2], [1, 2]],
    ["scatter", "lines", [1, 2], [2, 1]],
  ]);
  assert.equal((figure.layout.xaxis as { title: { text: string } }).title.text, "evaluations");
  assert.throws(
    () => rankFigure(data, { metric: "regret", methods: ["x"] }),
    /options.methods: must name at least 2 methods/,
  );
  assert.throws(
    () => averageRankCurves([{ ...data[0], value: "1" as never }], { metric: "regret" }),
    /rows\[0\]\.value/,
  );
});

Deno.test("rankFigure: a single step is drawn as bars, best on top, the step named", () => {
  // Three methods on 6 problems, every run stopped after 50 evaluations.
  const data = [0, 1, 2].flatMap((task) =>
    [0, 1].flatMap((seed) => [
      row(`t${task}`, "random", seed, 50, 3 + seed),
      row(`t${task}`, "gp", seed, 50, task === 0 && seed === 0 ? 5 : 1),
      row(`t${task}`, "tpe", seed, 50, 2),
    ])
  );
  const figure = rankFigure(data, { metric: "regret" });
  assert.equal(figure.data.length, 1);
  const [bars] = figure.data;
  assert.equal(bars.type, "bar");
  assert.equal(bars.orientation, "h");
  // gp ranks 1 on five problems and 3 on one; tpe 2 then 1; random 3 then 2.
  assert.deepEqual(bars.y, ["gp", "tpe", "random"]);
  const ranks = bars.x as number[];
  assert.ok(Math.abs(ranks[0] - 8 / 6) < 1e-12 && Math.abs(ranks[1] - 11 / 6) < 1e-12);
  assert.ok(Math.abs(ranks[2] - 17 / 6) < 1e-12);
  assert.deepEqual(bars.text, ["1.33", "1.83", "2.83"]);
  // Each method keeps its colour of the other figures (order of first appearance in the rows).
  assert.deepEqual((bars.marker as { color: string[] }).color, ["#f28e2b", "#e15759", "#4e79a7"]);
  const layout = figure.layout as Record<string, Record<string, unknown>>;
  assert.equal(
    layout.title.text,
    "Average rank by regret after 50 evaluations over 6 task × seed problems (lower is better)",
  );
  assert.equal(
    (layout.xaxis.title as { text: string }).text,
    "average rank after 50 evaluations (lower is better)",
  );
  assert.deepEqual(layout.xaxis.range, [0, 3.5]);
  // The best on top: categories in rank order, read downwards.
  assert.deepEqual(layout.yaxis.categoryarray, ["gp", "tpe", "random"]);
  assert.equal(layout.yaxis.autorange, "reversed");
  assert.equal(figure.layout.showlegend, false);
  // A title given stays; the axis still names the step, in the caller's unit.
  const one = rankFigure(
    data.map((r) => ({ ...r, step: 1 })),
    { metric: "regret", title: "Ranks", xTitle: "adaptation steps" },
  );
  assert.equal((one.layout.title as { text: string }).text, "Ranks");
  assert.equal(
    ((one.layout.xaxis as Record<string, unknown>).title as { text: string }).text,
    "average rank after 1 adaptation step (lower is better)",
  );
  JSON.parse(JSON.stringify(figure));
});

Deno.test("rankFigure: options are strict; a metric, suite or method matching no row is an error listing what there is", () => {
  const data = [row("a", "x", 0, 1, 1), row("a", "y", 0, 1, 2)];
  assert.throws(() => rankFigure(data, { metric: "regret", xtitle: "n" } as never), {
    name: "TypeError",
    message: "rankFigure: options.xtitle: unknown key",
  });
  assert.throws(() => rankFigure(data, { metric: "regert" }), {
    name: "RangeError",
    message: 'rankFigure: options.metric: no per-seed rows of the metric "regert" (metrics: ' +
      '"regret")',
  });
  assert.throws(
    () => rankFigure(data, { metric: "regret", methods: ["x", "z"] }),
    /^RangeError: rankFigure: options\.methods\[1\]: no per-seed rows of the metric "regret" for the method "z" \(methods: "x", "y"\)$/,
  );
  assert.throws(
    () => rankFigure([row("a", "x", 0, 1, 1), row("b", "y", 0, 1, 2)], { metric: "regret" }),
    /no \(task, seed\) problem has a value of every method at the same step/,
  );
});
