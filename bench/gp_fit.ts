/**
 * Speed of GP hyperparameter fitting (n = 200, d = 6, Matérn-5/2 ARD, 5 restarts by default) on
 * the data of `../shared/peers/sklearn_gp_peer.py fit`: X uniform on the unit cube, y = Σⱼ sin(3xⱼ)
 * + 0.01·N(0, 1) (drawn with our seeded generator, so the same process, not the same numbers),
 * plus the cost of `predict` and `predictWithGradient` on the fitted GP.
 *
 * Runnable alone: `deno run -A bench/gp_fit.ts [--n 200] [--d 6] [--restarts 5] [--reps 3]
 * [--exploration 200] [--peer]` prints one JSON line (`--exploration 200`: every start runs to
 * convergence, scikit-learn's strategy; `--peer`: also time the scikit-learn peer right after and
 * report the speed-up).
 *
 * @module
 */
import process from "node:process";
import { median } from "../lib/stats/mod.ts";
import { fitGP } from "../lib/gp/mod.ts";
import { runPeer } from "../lib/bench/peers.ts";
import { Rng } from "../lib/random/rng.ts";

/** Options of {@linkcode measureGpFit}. */
export interface GpFitBenchOptions {
  /** Training points (default 200). */
  n?: number;
  /** Input dimension (default 6). */
  d?: number;
  /** Extra L-BFGS-B runs from prior draws, as scikit-learn's n_restarts_optimizer (default 5). */
  restarts?: number;
  /** Timed repetitions, each with a different restart seed (default 3). */
  reps?: number;
  /** Data seed (default 0). */
  seed?: number;
  /**
   * Iterations of each start's exploratory run (default: the GP default, 12); pass a number
   * ≥ 200 for scikit-learn's strategy of running every start to convergence.
   */
  explorationIterations?: number;
  /**
   * Also run the scikit-learn peer (`sklearn_gp_peer.py fit`, same n, d, reps, one BLAS thread)
   * right after, and report the speed-up. Needs `/usr/bin/python3` with scikit-learn.
   */
  peer?: boolean;
  /** The peer script (default `../../shared/peers/sklearn_gp_peer.py` from this file). */
  peerScript?: string;
}

/** What {@linkcode measureGpFit} measured. */
export interface GpFitBenchResult {
  n: number;
  d: number;
  restarts: number;
  reps: number;
  /** Exploratory iterations per start (see {@linkcode GpFitBenchOptions}). */
  explorationIterations: number | "default";
  /** Median wall-clock seconds of one `fitGP` call. */
  medianSeconds: number;
  /** Median CPU seconds (user + system) of one `fitGP` call: less sensitive to shared cores. */
  medianCpuSeconds: number;
  /** Every repetition's seconds. */
  seconds: number[];
  /** Median number of marginal-likelihood evaluations of one fit (all runs). */
  medianEvaluations: number;
  /** Median milliseconds of one marginal-likelihood evaluation (fit time / evaluations). */
  millisecondsPerEvaluation: number;
  /** log p(ỹ | θ̂) of the last fit. */
  logMarginalLikelihood: number;
  /** Median microseconds of `predictWithGradient` at one point. */
  predictWithGradientMicroseconds: number;
  /** Median milliseconds of `predict` at 1000 points. */
  predict1000Milliseconds: number;
  /** The peer's median seconds per fit, when `peer` was set. */
  peerMedianSeconds?: number;
  /** peerMedianSeconds / medianSeconds (wall clock, same machine, run back to back). */
  speedup?: number;
  /** The 1-minute load average before the run (other users share the cores). */
  loadAverage: number;
}

const DEFAULT_PEER = new URL("../../shared/peers/sklearn_gp_peer.py", import.meta.url).pathname;

/** Runs the scikit-learn peer's `fit` mode and returns its median seconds per fit. */
async function sklearnFitSeconds(script: string, n: number, d: number, reps: number) {
  const args = ["fit", "--n", String(n), "--d", String(d), "--reps", String(reps)];
  const run = await runPeer(script, args);
  if (!run.ok) throw new Error(`sklearn peer failed: ${run.reason}`);
  return Number(run.records.at(-1)?.median_seconds);
}

/**
 * Times `fitGP` on the peer's synthetic data; see the module documentation.
 *
 * @example
 * ```ts
 * import { measureGpFit } from "./gp_fit.ts";
 * const result = await measureGpFit({ n: 50, d: 2, restarts: 1, reps: 1 });
 * console.log(result.medianSeconds);
 * ```
 */
export async function measureGpFit(options: GpFitBenchOptions = {}): Promise<GpFitBenchResult> {
  const n = options.n ?? 200, d = options.d ?? 6, restarts = options.restarts ?? 5;
  const reps = options.reps ?? 3;
  const data = new Rng(options.seed ?? 0);
  const x = Array.from({ length: n }, () => data.uniforms(d));
  const y = Float64Array.from(
    x,
    (p) => p.reduce((s, v) => s + Math.sin(3 * v), 0) + 0.01 * data.normal(),
  );
  const loadAverage = Deno.loadavg()[0];
  const seconds: number[] = [], cpuSeconds: number[] = [], evaluations: number[] = [];
  const explorationIterations = options.explorationIterations;
  let gp = fitGP(x, y, { kernel: "matern52", restarts: 0, maxIterations: 5 }); // JIT warm-up
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now(), cpu0 = process.cpuUsage();
    gp = fitGP(x, y, {
      kernel: "matern52",
      restarts,
      rng: new Rng(r),
      ...(explorationIterations === undefined ? {} : {
        explorationIterations,
        maxIterations: Math.max(200, explorationIterations),
      }),
    });
    seconds.push((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    evaluations.push(gp.fit.evaluations);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const probe = new Rng(1);
  const pointTimes: number[] = [];
  for (let r = 0; r < 200; r++) {
    const point = probe.uniforms(d);
    const t0 = performance.now();
    gp.predictWithGradient(point);
    pointTimes.push((performance.now() - t0) * 1000);
  }
  const batchTimes: number[] = [];
  for (let r = 0; r < 5; r++) {
    const points = Array.from({ length: 1000 }, () => probe.uniforms(d));
    const t0 = performance.now();
    gp.predict(points);
    batchTimes.push(performance.now() - t0);
  }
  const medianSeconds = median(seconds);
  const peerMedianSeconds = options.peer
    ? await sklearnFitSeconds(options.peerScript ?? DEFAULT_PEER, n, d, reps)
    : undefined;
  return {
    n,
    d,
    restarts,
    reps,
    explorationIterations: explorationIterations ?? "default",
    medianSeconds,
    medianCpuSeconds: median(cpuSeconds),
    seconds,
    medianEvaluations: median(evaluations),
    millisecondsPerEvaluation: (1000 * medianSeconds) / median(evaluations),
    logMarginalLikelihood: gp.logMarginalLikelihood,
    predictWithGradientMicroseconds: median(pointTimes),
    predict1000Milliseconds: median(batchTimes),
    loadAverage,
    ...(peerMedianSeconds === undefined
      ? {}
      : { peerMedianSeconds, speedup: peerMedianSeconds / medianSeconds }),
  };
}

if (import.meta.main) {
  const args = Deno.args;
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const result = await measureGpFit({
    n: flag("n"),
    d: flag("d"),
    restarts: flag("restarts"),
    reps: flag("reps"),
    seed: flag("seed"),
    explorationIterations: flag("exploration"),
    peer: args.includes("--peer"),
  });
  console.log(JSON.stringify(result));
}
