/**
 * Speed of the random-forest surrogate (`randomForest()` with SMAC3's defaults: 10 trees, 5/6 of
 * the inputs per split, min 3 per split and per leaf, bootstrapping) on X uniform on the unit cube,
 * y = Σⱼ sin(3xⱼ) + 0.01·N(0, 1): the fit, and `predict` (mean and variance) at 10,000 points,
 * next to the GP's fit (`fitGP` defaults) at the same n when n ≤ 1000 — the GP-versus-forest
 * ratio is measured in the same run. Wall and CPU (user + system) milliseconds: the CPU time is
 * less sensitive to other processes on shared cores.
 *
 * Runnable alone: `deno run -A bench/forest_fit.ts [--n 500,10000] [--d 10] [--reps 5] [--gp]`
 * prints one JSON line per n.
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { median } from "../lib/stats/mod.ts";
import { fitGP } from "../lib/gp/mod.ts";
import { randomForest } from "../lib/models/random_forest.ts";
import { Rng } from "../lib/random/rng.ts";

/** What {@linkcode measureForestFit} measured at one n. */
export interface ForestFitBenchResult {
  /** Observations. */
  n: number;
  /** Inputs. */
  d: number;
  /** Timed repetitions (after one warm-up). */
  reps: number;
  /** Median wall milliseconds of one forest fit. */
  fitMs: number;
  /** Median CPU milliseconds of one forest fit. */
  fitCpuMs: number;
  /** Median wall milliseconds of `predict` at 10,000 points. */
  predict10kMs: number;
  /** Median CPU milliseconds of `predict` at 10,000 points. */
  predict10kCpuMs: number;
  /** Median wall milliseconds of one `fitGP` at the same data (n ≤ 1000 and `gp`), else null. */
  gpFitMs: number | null;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Times the forest fit and prediction at `n` observations in `d` dimensions (and the GP fit at
 * the same data when `gp` and n ≤ 1000).
 *
 * @example
 * ```ts
 * import { measureForestFit } from "./forest_fit.ts";
 * const result = measureForestFit({ n: 100, d: 5, reps: 1, gp: false });
 * result.fitMs; // milliseconds
 * ```
 */
export function measureForestFit(
  options: { n: number; d: number; reps: number; gp: boolean; seed?: number },
): ForestFitBenchResult {
  const { n, d, reps } = options;
  const rng = new Rng(options.seed ?? 0);
  const points = Array.from({ length: n }, () => rng.uniforms(d));
  const values = Float64Array.from(
    points,
    (p) => p.reduce((s, v) => s + Math.sin(3 * v), 0) + 0.01 * rng.normal(),
  );
  const queries = Array.from({ length: 10_000 }, () => rng.uniforms(d));
  const factory = randomForest();
  const fitMs: number[] = [];
  const fitCpu: number[] = [];
  const predictMs: number[] = [];
  const predictCpu: number[] = [];
  for (let r = 0; r <= reps; r++) {
    const wall = performance.now();
    const cpu = cpuMs();
    const surrogate = factory.fit(points, values, new Rng(r));
    const fitWall = performance.now() - wall;
    const fitCpuTime = cpuMs() - cpu;
    const start = performance.now();
    const startCpu = cpuMs();
    surrogate.predict(queries);
    const predictWall = performance.now() - start;
    const predictCpuTime = cpuMs() - startCpu;
    if (r === 0) continue; // warm-up
    fitMs.push(fitWall);
    fitCpu.push(fitCpuTime);
    predictMs.push(predictWall);
    predictCpu.push(predictCpuTime);
  }
  let gpFitMs: number | null = null;
  if (options.gp && n <= 1000) {
    const times: number[] = [];
    for (let r = 0; r < Math.min(reps, 3); r++) {
      const start = performance.now();
      fitGP(points, values, { rng: new Rng(r) });
      times.push(performance.now() - start);
    }
    gpFitMs = median(times);
  }
  return {
    n,
    d,
    reps,
    fitMs: median(fitMs),
    fitCpuMs: median(fitCpu),
    predict10kMs: median(predictMs),
    predict10kCpuMs: median(predictCpu),
    gpFitMs,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      n: { type: "string", default: "500,10000" },
      d: { type: "string", default: "10" },
      reps: { type: "string", default: "5" },
      gp: { type: "boolean", default: false },
    },
  });
  for (const n of values.n.split(",").map(Number)) {
    const result = measureForestFit({
      n,
      d: Number(values.d),
      reps: Number(values.reps),
      gp: values.gp,
    });
    console.log(JSON.stringify(result));
  }
}
