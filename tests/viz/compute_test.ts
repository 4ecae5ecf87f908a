import assert from "node:assert/strict";
import type { ResultRow } from "../../lib/results/mod.ts";
import { lossComputePoints, lossVsComputeFigure } from "../../lib/viz/compute.ts";
import { type Layout, plotHeight, textWidth } from "../../lib/viz/figure.ts";

const data: ResultRow[] = [
  ...[0, 1, 2].flatMap((seed): ResultRow[] => [
    { suite: "smbo", task: "t", method: "gp", seed, step: 5, metric: "regret", value: 10 },
    { suite: "smbo", task: "t", method: "gp", seed, step: 10, metric: "regret", value: seed + 1 },
    {
      suite: "smbo",
      task: "t",
      method: "gp",
      seed,
      step: 10,
      metric: "seconds_per_trial",
      value: 0.1 * (seed + 1),
    },
  ]),
  {
    suite: "smbo",
    task: "t",
    method: "tpe",
    seed: -1,
    step: 10,
    metric: "median_regret",
    value: 4,
  },
  {
    suite: "smbo",
    task: "t",
    method: "tpe",
    seed: -1,
    step: 10,
    metric: "seconds_per_trial",
    value: 0.005,
  },
  { suite: "smbo", task: "t", method: "no-compute", seed: 0, step: 10, metric: "regret", value: 1 },
];

Deno.test("lossComputePoints: last step by default, first available metric per method", () => {
  const points = lossComputePoints(data, {
    loss: ["regret", "median_regret"],
    compute: "seconds_per_trial",
  });
  assert.deepEqual(points.map((p) => [p.method, p.lossMetric]), [["gp", "regret"], [
    "tpe",
    "median_regret",
  ]]);
  assert.equal(points[0].loss.center, 2);
  assert.ok(Math.abs(points[0].compute.center - 0.2) < 1e-12);
  assert.equal(points[1].loss.center, 4);
  const early = lossComputePoints(data, { loss: "regret", compute: "seconds_per_trial", step: 5 });
  assert.equal(early[0].loss.center, 10);
});

Deno.test("lossVsComputeFigure: log axes, one marker per method; bad options rejected", () => {
  const figure = lossVsComputeFigure(data, {
    loss: ["regret", "median_regret"],
    compute: "seconds_per_trial",
    center: "mean",
  });
  assert.deepEqual(figure.data.map((t) => t.name), ["gp", "tpe"]);
  assert.equal((figure.layout.xaxis as Record<string, unknown>).type, "log");
  const bar = figure.data[0].error_y as { array: number[]; arrayminus: number[] };
  // mean 2 of 1,2,3; t(0.975, 2) = 4.3027; sd 1 → half-width 4.3027/√3.
  assert.ok(Math.abs(bar.array[0] - 4.302652729911275 / Math.sqrt(3)) < 1e-5);
  assert.throws(() => lossComputePoints(data, { loss: [], compute: "x" }), /options.loss/);
  assert.throws(
    () => lossComputePoints(data, { loss: "regret", compute: "x", step: NaN }),
    /options.step: /,
  );
});

Deno.test("lossVsComputeFigure: diverged losses counted, no error bar below 0 on a log axis", () => {
  const rows: ResultRow[] = [0, 1, 2, 3].flatMap((seed) => [
    {
      suite: "s",
      task: "t",
      method: "m",
      seed,
      step: 10,
      metric: "mse",
      value: seed === 3 ? NaN : [0.01, 0.02, 50][seed],
    },
    { suite: "s", task: "t", method: "m", seed, step: 10, metric: "seconds", value: 1 + seed },
  ]);
  const [point] = lossComputePoints(rows, { loss: "mse", compute: "seconds", center: "mean" });
  assert.equal(point.loss.diverged, 1);
  assert.equal(point.loss.total, 4);
  assert.equal(point.loss.lower, 0); // clipped: an MSE cannot be negative
  const figure = lossVsComputeFigure(rows, { loss: "mse", compute: "seconds", center: "mean" });
  const trace = figure.data[0];
  assert.equal(trace.name, "m (diverged 1/4)");
  const bar = trace.error_y as { arrayminus: number[] };
  const y = (trace.y as number[])[0];
  assert.ok(y - bar.arrayminus[0] > 0);
});

Deno.test("lossVsComputeFigure: a log axis with a center ≤ 0 is an error naming the method", () => {
  const R = (method: string, seed: number, metric: string, value: number): ResultRow => ({
    suite: "s",
    task: "t",
    method,
    seed,
    step: 1,
    metric,
    value,
  });
  const rows = [0, 1, 2].flatMap((seed) => [
    R("a", seed, "mse", 0.1 * (seed + 1)),
    R("a", seed, "gradient_steps", 0),
    R("b", seed, "mse", seed === 0 ? Infinity : 0),
    R("b", seed, "gradient_steps", 5),
  ]);
  const options = { loss: "mse", compute: "gradient_steps" };
  assert.throws(() => lossVsComputeFigure(rows, options), {
    name: "RangeError",
    message: 'lossVsComputeFigure: options.logX: method "a" has the value 0 (gradient_steps, ' +
      "median over seeds); a log axis needs values > 0",
  });
  assert.throws(() => lossVsComputeFigure(rows, { ...options, logX: false }), {
    name: "RangeError",
    message: 'lossVsComputeFigure: options.logY: method "b" has the value 0 (mse, median over ' +
      "seeds); a log axis needs values > 0",
  });
  const linear = lossVsComputeFigure(rows, { ...options, logX: false, logY: false });
  assert.deepEqual(linear.data.map((t) => [t.name, t.x, t.y]), [
    ["a", [0], [0.2]],
    ["b (diverged 1/3)", [5], [0]],
  ]);
  assert.equal((linear.layout.xaxis as { type?: string }).type, undefined);
});

Deno.test("lossVsComputeFigure: a linear axis whose values are all 0 spans 0 to 1, not −1 to 1", () => {
  const rows: ResultRow[] = [0, 1, 2].flatMap((seed) =>
    ["gp", "random"].flatMap((method): ResultRow[] => [
      { suite: "s", task: "t", method, seed, step: 10, metric: "regret", value: 0 },
      { suite: "s", task: "t", method, seed, step: 10, metric: "seconds", value: seed + 1 },
    ])
  );
  const figure = lossVsComputeFigure(rows, { loss: "regret", compute: "seconds", logY: false });
  assert.deepEqual((figure.layout.yaxis as { range?: number[] }).range, [0, 1]);
  // The log x axis spans the values drawn (log10 units), half a decade either side of one value.
  const [low, high] = (figure.layout.xaxis as { range: number[] }).range;
  assert.ok(Math.abs(low - (Math.log10(2) - 0.5)) < 1e-12, `${low}`);
  assert.ok(Math.abs(high - (Math.log10(2) + 0.5)) < 1e-12, `${high}`);
});

Deno.test("lossVsComputeFigure: method labels stay clear of each other and of the markers, from a report cell's width to the default", () => {
  // A cluster like the comparison suite's on cars-mpg: eight methods within a decade of compute
  // and a factor 1.4 of loss, and one far away.
  const centers: [string, number, number][] = [
    ["maml", 4, 2.05],
    ["fomaml", 3, 1.9],
    ["reptile", 6, 2.2],
    ["anil", 2.5, 1.8],
    ["metasgd", 4, 2.45],
    ["smbo-maml", 7.5, 2.15],
    ["learned-hp", 4.2, 2.3],
    ["smbo-scratch", 5, 2],
    ["scratch", 0.001, 0.97],
  ];
  const rows: ResultRow[] = centers.flatMap(([method, seconds, mse]) =>
    [0, 1, 2, 3, 4].flatMap((seed): ResultRow[] => [
      {
        suite: "c",
        task: "t",
        method,
        seed,
        step: 10,
        metric: "mse",
        value: mse * (1 + seed / 50),
      },
      {
        suite: "c",
        task: "t",
        method,
        seed,
        step: 10,
        metric: "seconds",
        value: seconds * (1 + seed / 20),
      },
    ])
  );
  const figure = lossVsComputeFigure(rows, { loss: "mse", compute: "seconds", center: "mean" });
  const layout = figure.layout as Layout;
  const annotations = layout.annotations as Layout[];
  // One label per method, at its marker (log10 units on log axes).
  assert.deepEqual(annotations.map((a) => a.text), centers.map(([method]) => method));
  figure.data.forEach((trace, i) => {
    assert.equal(trace.mode, "markers");
    assert.ok(
      Math.abs((annotations[i].x as number) - Math.log10((trace.x as number[])[0])) < 1e-12,
    );
    assert.ok(
      Math.abs((annotations[i].y as number) - Math.log10((trace.y as number[])[0])) < 1e-12,
    );
  });
  const [x0, x1] = (layout.xaxis as Layout).range as number[];
  const [y0, y1] = (layout.yaxis as Layout).range as number[];
  const margin = layout.margin as { l: number; r: number };
  const height = plotHeight(layout);
  const labelHeight = Math.ceil(12 * 1.3);
  type Box = { x: number; y: number; w: number; h: number };
  const apart = (a: Box, b: Box) =>
    Math.abs(a.x - b.x) >= (a.w + b.w) / 2 || Math.abs(a.y - b.y) >= (a.h + b.h) / 2;
  for (const figureWidth of [548, 700, 860, 1000]) {
    const width = figureWidth - margin.l - margin.r;
    const markers: Box[] = annotations.map((a) => ({
      x: ((a.x as number) - x0) / (x1 - x0) * width,
      y: ((a.y as number) - y0) / (y1 - y0) * height,
      w: 11,
      h: 11,
    }));
    const labels: Box[] = annotations.map((a, i) => ({
      x: markers[i].x + (a.showarrow ? a.ax as number : a.xshift as number),
      y: markers[i].y + (a.showarrow ? -(a.ay as number) : a.yshift as number),
      w: textWidth(a.text as string, (a.font as { size: number }).size),
      h: labelHeight,
    }));
    labels.forEach((label, i) => {
      const where = `${annotations[i].text} at width ${figureWidth}`;
      assert.ok(label.x - label.w / 2 >= 0 && label.x + label.w / 2 <= width + margin.r, where);
      labels.forEach((other, j) => assert.ok(j === i || apart(label, other), `${where}, ${j}`));
      markers.forEach((marker, j) => assert.ok(apart(label, marker), `${where}, marker ${j}`));
    });
  }
});

Deno.test("lossVsComputeFigure: the default title claims a 95% CI only where one is drawn", () => {
  const title = (rows: readonly ResultRow[]) =>
    (lossVsComputeFigure(rows, { loss: "regret", compute: "seconds_per_trial", task: "t" })
      .layout.title as { text: string }).text;
  const gp = data.filter((r) => r.method === "gp");
  // Three seeds give the mean's interval but not the median's (6 values needed).
  assert.match(title(gp), /\(median, no 95% CI: 3 seeds, 6 needed\)/);
  const oneSeed = gp.filter((r) => r.seed === 0);
  assert.match(title(oneSeed), /no 95% CI: 1 seed, 6 needed/);
  const many = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((seed): ResultRow[] => [
    { suite: "s", task: "t", method: "m", seed, step: 10, metric: "regret", value: seed + 1 },
    { suite: "s", task: "t", method: "m", seed, step: 10, metric: "seconds_per_trial", value: 1 },
  ]);
  assert.match(title(many), /\(median, 95% CI\)$/);
});

Deno.test("lossVsComputeFigure: an option that leaves no point is an error listing what there is, not an empty figure", () => {
  const base = { loss: ["regret", "median_regret"], compute: "seconds_per_trial" };
  assert.throws(() => lossVsComputeFigure(data, { ...base, step: 100 }), {
    name: "RangeError",
    message: 'lossVsComputeFigure: options.step: no loss rows at the step 100 (steps: "5", "10")',
  });
  assert.throws(() => lossVsComputeFigure(data, { ...base, task: "u" }), {
    name: "RangeError",
    message: 'lossVsComputeFigure: options.task: no rows of the task "u" (tasks: "t")',
  });
  assert.throws(
    () => lossVsComputeFigure(data, { ...base, suite: "maml" }),
    /^RangeError: lossVsComputeFigure: options\.suite: no rows of the suite "maml" \(suites: "smbo"\)$/,
  );
  assert.throws(
    () => lossVsComputeFigure(data, { loss: "regret", compute: "sec" }),
    /^RangeError: lossVsComputeFigure: options\.compute: no rows of "sec" \(metrics: "regret", "seconds_per_trial", "median_regret"\)$/,
  );
  assert.throws(
    () => lossVsComputeFigure(data, { loss: "mse", compute: "seconds_per_trial" }),
    /options\.loss: no rows of "mse"/,
  );
  // The data functions still answer with no point.
  assert.deepEqual(lossComputePoints(data, { ...base, step: 100 }), []);
});

Deno.test("lossVsComputeFigure: options are strict, a misspelt key is an error naming it", () => {
  assert.throws(
    () =>
      lossVsComputeFigure(data, {
        loss: "regret",
        compute: "seconds_per_trial",
        logx: false,
      } as never),
    { name: "TypeError", message: "lossVsComputeFigure: options.logx: unknown key" },
  );
});
