import assert from "node:assert/strict";
import type { ResultRow } from "../../lib/results/mod.ts";
import {
  adaptationCurveFigure,
  curveFigure,
  curveSummaryFigure,
  regretCurveFigure,
  summariseCurves,
} from "../../lib/viz/curves.ts";
import { ciNote } from "../../lib/viz/_validate.ts";
import { legendHeight } from "../../lib/viz/figure.ts";

function rows(): ResultRow[] {
  const out: ResultRow[] = [];
  for (const method of ["gp", "random"]) {
    for (let seed = 0; seed < 6; seed++) {
      for (let step = 1; step <= 3; step++) {
        out.push({
          suite: "smbo",
          task: "branin",
          method,
          seed,
          step,
          metric: "regret",
          value: (method === "gp" ? 1 : 10) * (seed + 1) / step,
        });
      }
    }
  }
  out.push({
    suite: "smbo",
    task: "branin",
    method: "optuna",
    seed: -1,
    step: 3,
    metric: "median_regret",
    value: 2,
  });
  out.push({
    suite: "smbo",
    task: "other",
    method: "gp",
    seed: 0,
    step: 1,
    metric: "regret",
    value: 99,
  });
  return out;
}

Deno.test("summariseCurves: per-step center over seeds, aggregated rows ignored", () => {
  const curves = summariseCurves(rows(), { metric: "regret", task: "branin" }, "mean");
  assert.deepEqual(curves.map((c) => c.method), ["gp", "random"]);
  assert.deepEqual(curves[0].steps, [1, 2, 3]);
  // gp at step 2: values (1…6)/2, mean 1.75.
  assert.ok(Math.abs(curves[0].intervals[1].center - 1.75) < 1e-12);
  assert.equal(curves[1].intervals[0].n, 6);
  // Without a task, the other task's seed-0 row joins step 1 of gp.
  assert.equal(summariseCurves(rows(), { metric: "regret" })[0].intervals[0].n, 7);
  assert.deepEqual(
    summariseCurves(rows(), { metric: "regret", methods: ["random"] }).map((c) => c.method),
    ["random"],
  );
});

Deno.test("regretCurveFigure: median lines, bands, peer markers, log axis, plain arrays", () => {
  const figure = regretCurveFigure(rows(), { task: "branin" });
  const names = figure.data.map((t) => t.name);
  assert.deepEqual(names, ["gp band", "gp", "random band", "random", "optuna (median_regret)"]);
  const gp = figure.data[1];
  // Median of (1…6)/1 = 3.5 at step 1.
  (gp.y as number[]).forEach((y, i) => assert.ok(Math.abs(y - 3.5 / (i + 1)) < 1e-12));
  const band = figure.data[0];
  // 6 seeds: 95% median interval is [x(1), x(6)] (P(B<1) = 1/64 ≤ 0.025).
  assert.deepEqual((band.y as number[]).slice(0, 3), [6, 3, 2]);
  assert.deepEqual(figure.data[4].y, [2]);
  assert.equal((figure.layout.yaxis as Record<string, unknown>).type, "log");
  const json = JSON.parse(JSON.stringify(figure));
  assert.deepEqual(json.data[1].x, [1, 2, 3]);
});

Deno.test("adaptationCurveFigure: mean with linear axis; curveFigure rejects bad options", () => {
  const data = rows().map((r) => ({ ...r, metric: "mse" }));
  const figure = adaptationCurveFigure(data, { task: "branin" });
  assert.equal((figure.layout.yaxis as Record<string, unknown>).type, undefined);
  assert.ok(Math.abs((figure.data[1].y as number[])[0] - 3.5) < 1e-12);
  assert.throws(
    () => curveFigure(rows(), { metric: "" }),
    /curveFigure: options.metric: must be a non-empty string/,
  );
  assert.throws(
    () => curveFigure(rows(), { metric: "regret", center: "mode" as never }),
    /options.center/,
  );
  assert.throws(
    () => summariseCurves([{ ...rows()[0], seed: 0.5 }], { metric: "regret" }),
    /rows\[0\]\.seed: must be an integer/,
  );
  assert.throws(
    () => summariseCurves("x" as never, { metric: "regret" }),
    /must be an array of result rows/,
  );
});

function mseRows(values: (seed: number, step: number, method: string) => number): ResultRow[] {
  const out: ResultRow[] = [];
  for (const method of ["maml", "fomaml", "learned-hp"]) {
    for (let seed = 0; seed < 3; seed++) {
      for (const step of [1, 2, 5, 10]) {
        out.push({
          suite: "maml",
          task: "sinusoid-k5",
          method,
          seed,
          step,
          metric: "mse",
          value: values(seed, step, method),
        });
      }
    }
  }
  return out;
}

const bandOf = (figure: ReturnType<typeof curveFigure>, method: string) =>
  figure.data.find((t) => t.name === `${method} band`)!.y as number[];

Deno.test("curveFigure: bands of a non-negative metric never go below 0", () => {
  // A skewed sample: mean − t·s/√n is negative for the raw Student-t interval.
  const figure = adaptationCurveFigure(
    mseRows((seed, step) => (seed === 0 ? 10 : 0.01) / step),
    { task: "sinusoid-k5" },
  );
  for (const method of ["maml", "fomaml", "learned-hp"]) {
    const band = bandOf(figure, method);
    assert.ok(band.length > 0);
    assert.ok(band.every((y) => y >= 0), `${method}: ${band}`);
  }
  const range = (figure.layout.yaxis as { range: number[] }).range;
  assert.equal(range[0], 0);
  // A metric with negative values keeps its negative bounds.
  const signed = curveFigure(mseRows((seed) => seed - 1), { metric: "mse", center: "mean" });
  assert.ok(bandOf(signed, "maml").some((y) => y < 0));
});

Deno.test("curveFigure: a log axis always gets a positive range and positive bands", () => {
  const figure = curveFigure(
    mseRows((seed, step) => (seed === 0 ? 10 : 0.01) / step),
    { metric: "mse", center: "mean", logY: true },
  );
  const yaxis = figure.layout.yaxis as { type: string; range: number[] };
  assert.equal(yaxis.type, "log");
  assert.ok(yaxis.range.every(Number.isFinite));
  assert.ok(yaxis.range[0] < yaxis.range[1]);
  for (const method of ["maml", "fomaml", "learned-hp"]) {
    assert.ok(bandOf(figure, method).every((y) => y > 0));
  }
  // Every drawn center lies inside the (log10) range.
  for (const t of figure.data.filter((t) => !String(t.name).endsWith("band"))) {
    for (const y of (t.y as number[]).filter((v) => v > 0)) {
      assert.ok(Math.log10(y) >= yaxis.range[0] && Math.log10(y) <= yaxis.range[1]);
    }
  }
});

Deno.test("curveFigure: a diverging series is marked off scale and does not set the range", () => {
  const figure = adaptationCurveFigure(
    mseRows((seed, step, method) => (method === "learned-hp" ? 200 * step : 2 / step + seed / 10)),
    { task: "sinusoid-k5" },
  );
  const range = (figure.layout.yaxis as { range: number[] }).range;
  assert.ok(range[1] < 10, `range ${range}`);
  const line = figure.data.find((t) => String(t.name).startsWith("learned-hp ("))!;
  assert.match(String(line.name), /off scale, max 2\.00e\+3|off scale, max 2000/);
  const annotations = figure.layout.annotations as { text: string }[];
  assert.ok(annotations.some((a) => /learned-hp: off scale/.test(a.text)));
  // Without the outlier the range is the same: it is set by the others only.
  const without = adaptationCurveFigure(
    mseRows((seed, step) => 2 / step + seed / 10).filter((r) => r.method !== "learned-hp"),
    { task: "sinusoid-k5" },
  );
  assert.deepEqual((without.layout.yaxis as { range: number[] }).range, range);
});

Deno.test("summariseCurves and curveFigure: non-finite values are counted, never silently dropped", () => {
  const rows = mseRows((seed, step, method) =>
    method === "fomaml" && seed === 1 && step === 10 ? NaN : 1 / step
  );
  const [, fomaml] = summariseCurves(rows, { metric: "mse" }, "mean");
  const at10 = fomaml.intervals[fomaml.steps.indexOf(10)];
  assert.equal(at10.diverged, 1);
  assert.equal(at10.total, 3);
  assert.equal(at10.n, 2);
  const figure = curveFigure(rows, { metric: "mse", center: "mean" });
  const line = figure.data.find((t) =>
    String(t.name).startsWith("fomaml") && !String(t.name).endsWith("band")
  )!;
  assert.equal(line.name, "fomaml (diverged 1/3)");
  assert.deepEqual((line.customdata as string[]).at(-1), "1/3");
  const annotations = figure.layout.annotations as { text: string }[];
  assert.ok(annotations.some((a) => a.text.startsWith("fomaml: diverged")));
});

Deno.test("summariseCurves: ±Infinity is a diverged value like NaN; other values are named", () => {
  const rows = [Infinity, 1, 2, -Infinity, NaN].map((value, seed) => ({
    suite: "s",
    task: "t",
    method: "a",
    seed,
    step: 1,
    metric: "regret",
    value,
  }));
  const [curve] = summariseCurves(rows, { metric: "regret" }, "mean");
  assert.deepEqual(
    [curve.intervals[0].center, curve.intervals[0].n, curve.intervals[0].diverged],
    [1.5, 2, 3],
  );
  const figure = regretCurveFigure(rows, {});
  assert.equal(figure.data.find((t) => t.name !== "a band")!.name, "a (diverged 3/5)");
  assert.throws(
    () => summariseCurves([{ ...rows[1], value: "1" }] as never, { metric: "regret" }),
    {
      name: "TypeError",
      message:
        "summariseCurves: rows[0].value: must be a number (NaN or ±Infinity for a run that " +
        'diverged), got "1"',
    },
  );
});

Deno.test("curve figures grow with their legend, so that its first row stays clear of the x-axis title", () => {
  // gp, random and the optuna marker: 3 legend entries, the default height.
  assert.equal(regretCurveFigure(rows(), { task: "branin" }).layout.height, 420);
  const many: ResultRow[] = [];
  for (let m = 0; m < 10; m++) {
    for (let seed = 0; seed < 2; seed++) {
      many.push({
        suite: "s",
        task: "t",
        method: `method-${m}`,
        seed,
        step: 1,
        metric: "regret",
        value: m + seed + 1,
      });
    }
  }
  // 10 legend entries (bands are not listed): 420 + 22 · 7.
  assert.equal(regretCurveFigure(many, { task: "t" }).layout.height, 574);
  assert.equal(legendHeight(1), 420);
});

/** Regret rows of `seeds` seeds over steps 1-10: gp reaches the optimum (0) from step 6. */
function zeroRows(seeds: number): ResultRow[] {
  const out: ResultRow[] = [];
  for (const method of ["gp", "random"]) {
    for (let seed = 0; seed < seeds; seed++) {
      for (let step = 1; step <= 10; step++) {
        const value = method === "gp" ? (step >= 6 ? 0 : (1 + seed / 10) / step) : 2 / step;
        out.push({ suite: "s", task: "t", method, seed, step, metric: "regret", value });
      }
    }
  }
  return out;
}

Deno.test("regretCurveFigure: a median of 0 on the log axis is marked at the floor, not dropped", () => {
  const figure = regretCurveFigure(zeroRows(6), { task: "t" });
  const zero = figure.data.find((t) => String(t.name).startsWith("gp: 0 (optimum reached)"))!;
  assert.ok(zero, figure.data.map((t) => t.name).join(", "));
  assert.deepEqual(zero.x, [6, 7, 8, 9, 10]);
  // The floor: the smallest positive value drawn (random's 0.2 at step 10), where the bands'
  // bounds ≤ 0 go too.
  const floor = Math.min(
    ...figure.data.flatMap((t) => (t.y as number[] ?? [])).filter((v) => v > 0),
  );
  assert.deepEqual(zero.y, [floor, floor, floor, floor, floor]);
  assert.equal(zero.legendgroup, "gp");
  assert.match(String(zero.hovertemplate), /median 0 \(optimum reached\)/);
  const range = (figure.layout.yaxis as { range: number[] }).range;
  assert.ok(range[0] < Math.log10(floor));
  // Every value 0: nothing a log axis could draw, so a linear one.
  const flat = regretCurveFigure(zeroRows(6).map((r) => ({ ...r, value: 0 })), { task: "t" });
  assert.equal((flat.layout.yaxis as { type?: string }).type, undefined);
  assert.deepEqual((flat.layout.yaxis as { range: number[] }).range, [0, 0.1]);
});

Deno.test("curve titles say 95% CI only where a band is drawn", () => {
  const title = (f: { layout: Record<string, unknown> }) =>
    (f.layout.title as { text: string }).text;
  assert.equal(
    title(regretCurveFigure(zeroRows(6), { task: "t" })),
    "t: simple regret (median over seeds, 95% CI)",
  );
  const few = regretCurveFigure(zeroRows(3), { task: "t" });
  assert.equal(title(few), "t: simple regret (median over seeds, no 95% CI: 3 seeds, 6 needed)");
  assert.ok(
    few.data.filter((t) => String(t.name).endsWith(" band")).every((t) =>
      (t.x as number[]).length === 0
    ),
  );
  const one = adaptationCurveFigure(
    zeroRows(1).map((r) => ({ ...r, metric: "mse" })),
    { task: "t" },
  );
  assert.equal(title(one), "t: query mse after adaptation (mean, no 95% CI: 1 seed, 2 needed)");
  // Some series with a band, one without: named.
  const mixed = [
    ...zeroRows(6),
    ...[0, 1].map((seed) => ({
      suite: "s",
      task: "t",
      method: "peer",
      seed,
      step: 10,
      metric: "regret",
      value: 0.1,
    })),
  ];
  assert.equal(
    title(regretCurveFigure(mixed, { task: "t" })),
    "t: simple regret (median over seeds, 95% CI, none for peer: 2 seeds)",
  );
  assert.equal(
    title(curveFigure(zeroRows(2), { metric: "regret" })),
    "all tasks: regret (median, no 95% CI: 2 runs, 6 needed)",
  );
  // A title given is kept.
  assert.equal(title(regretCurveFigure(zeroRows(3), { task: "t", title: "mine" })), "mine");
});

Deno.test("regretCurveFigure: a peer's median_regret is not drawn again where its own seeds are", () => {
  // A peer with per-seed final regrets and its aggregated median at the same step: one legend
  // entry, not a dot under a diamond.
  const rows: ResultRow[] = [
    ...zeroRows(6),
    ...[0, 1].map((seed) => ({
      suite: "s",
      task: "t",
      method: "botorch",
      seed,
      step: 10,
      metric: "regret",
      value: 0.1 * (seed + 1),
    })),
    {
      suite: "s",
      task: "t",
      method: "botorch",
      seed: -1,
      step: 10,
      metric: "median_regret",
      value: 0.15,
    },
    {
      suite: "s",
      task: "t",
      method: "tpe",
      seed: -1,
      step: 10,
      metric: "median_regret",
      value: 0.3,
    },
  ];
  const names = regretCurveFigure(rows, { task: "t" }).data.filter((t) => t.showlegend !== false)
    .map((t) => t.name);
  assert.deepEqual(names, [
    "gp",
    "random",
    "botorch",
    "gp: 0 (optimum reached), drawn at the axis floor",
    "tpe (median_regret)",
  ]);
});

Deno.test("curve figures: a negative center on a log axis is a RangeError naming the method and step; 0 keeps its floor mark", () => {
  const at = (seed: number, step: number, value: number): ResultRow => ({
    suite: "s",
    task: "t",
    method: "a",
    seed,
    step,
    metric: "loss",
    value,
  });
  const negative = [0, 1, 2, 3, 4, 5].flatMap((s) => [at(s, 1, -5 - s), at(s, 2, 2 + s)]);
  assert.throws(() => curveFigure(negative, { metric: "loss", logY: true }), {
    name: "RangeError",
    message: 'curveFigure: options.logY: method "a" has the value -7.5 (median at step 1); a log ' +
      "axis needs values > 0",
  });
  assert.throws(
    () => regretCurveFigure(negative.map((r) => ({ ...r, metric: "regret" })), {}),
    /^RangeError: regretCurveFigure: options\.logY: method "a" has the value -7\.5/,
  );
  assert.throws(
    () =>
      curveSummaryFigure([{
        method: "m",
        steps: [3],
        intervals: [{ center: -1, lower: -2, upper: 0, n: 6, diverged: 0, total: 6 }],
      }], { logY: true }),
    /^RangeError: curveSummaryFigure: options\.logY: method "m" has the value -1 \(median at step 3\)/,
  );
  // A linear axis draws it.
  assert.deepEqual(curveFigure(negative, { metric: "loss" }).data[1].y, [-7.5, 4.5]);
  // A center of exactly 0 (the optimum reached) is still marked at the axis floor.
  const zero = [0, 1, 2, 3, 4, 5].flatMap((s) => [at(s, 1, 0), at(s, 2, 2 + s)]);
  const marked = curveFigure(zero, { metric: "loss", logY: true });
  const floor = marked.data.find((t) => String(t.name).includes("0 (optimum reached)"))!;
  assert.deepEqual(floor.x, [1]);
});

Deno.test("curve figures: a metric, suite, task or method that matches no row is an error listing what there is", () => {
  const data = rows();
  assert.throws(() => regretCurveFigure(data, { task: "branim" }), {
    name: "RangeError",
    message: 'regretCurveFigure: options.task: no per-seed rows of the metric "regret" for the ' +
      'task "branim" (tasks: "branin", "other")',
  });
  assert.throws(() => curveFigure(data, { metric: "regret", methods: ["gp", "gp-logei"] }), {
    name: "RangeError",
    message: 'curveFigure: options.methods[1]: no per-seed rows of the metric "regret" for the ' +
      'method "gp-logei" (methods: "gp", "random")',
  });
  assert.throws(
    () => curveFigure(data, { metric: "regert" }),
    /^RangeError: curveFigure: options\.metric: no per-seed rows of the metric "regert" \(metrics: "regret"\)$/,
  );
  assert.throws(
    () => adaptationCurveFigure(data, { metric: "regret", suite: "maml" }),
    /^RangeError: adaptationCurveFigure: options\.suite: no per-seed rows of the metric "regret" in the suite "maml" \(suites: "smbo"\)$/,
  );
  // A title never claims a CI for nothing drawn.
  assert.equal(ciNote([], "median", "seed"), "nothing drawn");
});

Deno.test("curve figures: options are strict, a misspelt key is an error naming it", () => {
  assert.throws(
    () => curveFigure(rows(), { metric: "regret", logy: true, centre: "mean" } as never),
    {
      name: "TypeError",
      message: "curveFigure: options.logy: unknown key; curveFigure: options.centre: unknown key",
    },
  );
  assert.throws(
    () => regretCurveFigure(rows(), { task: "branin", xtitle: "n" } as never),
    /regretCurveFigure: options\.xtitle: unknown key/,
  );
  assert.throws(
    () => curveSummaryFigure([], { logy: true } as never),
    /curveSummaryFigure: options\.logy: unknown key/,
  );
});

Deno.test("curve figures: method names show as given (escaped for plotly's markup); a CI missing at some steps is named", () => {
  const named = rows().map((r) => (r.method === "gp" ? { ...r, method: "<s>gp</s> & a<b" } : r));
  const figure = regretCurveFigure(named, { task: "branin" });
  const gp = figure.data[1]; // after its band, as in the plain figure above
  assert.equal(gp.name, "&lt;s&gt;gp&lt;/s&gt; &amp; a&lt;b");
  assert.match(String(gp.hovertemplate), /^&lt;s&gt;gp&lt;\/s&gt; &amp; a&lt;b<br>step/);
  // The band and its line stay in one legend group (clicking the entry hides both).
  assert.equal(figure.data[0].legendgroup, gp.legendgroup);
  // A task named like a tag shows as given in the title.
  const task = rows().map((r) => ({ ...r, task: r.task === "branin" ? "<b>t" : r.task }));
  const titled = regretCurveFigure(task, { task: "<b>t" });
  assert.match((titled.layout.title as { text: string }).text, /^&lt;b&gt;t: simple regret/);
  // 8 seeds, 3 of them NaN at step 3: 5 values there, too few for the median's interval (6).
  const partial: ResultRow[] = [];
  for (let seed = 0; seed < 8; seed++) {
    for (let step = 1; step <= 3; step++) {
      const value = step === 3 && seed < 3 ? NaN : (seed + 1) / step;
      partial.push({ suite: "s", task: "t", method: "gp", seed, step, metric: "regret", value });
    }
  }
  const title = (regretCurveFigure(partial, { task: "t" }).layout.title as { text: string }).text;
  assert.match(title, /95% CI \(not at every step for gp: 5 seeds at some steps\)/);
  assert.equal(
    ciNote([{ name: "gp", intervals: [{ lower: 0, upper: 1, n: 8 } as never] }], "median", "seed"),
    "95% CI",
  );
});
