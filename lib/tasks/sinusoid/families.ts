/**
 * Few-shot regression families: sinusoids (Finn et al. 2017), harmonics (Lacoste et al. 2018)
 * and sinusoids-or-lines (Finn et al. 2018), with torchmeta's conventions.
 *
 * Sign convention: y = A·sin(x − φ), as in Finn et al.'s code (`amp * np.sin(x - phase)`) and
 * torchmeta. The PyTorch MAML peer in this project uses A·sin(x + φ); with x ~ U[−5, 5] and
 * φ ~ U[0, π] the two families are mirror images (A·sin(x − φ) = −A·sin(−x + φ), i.e. x → −x and
 * y → −y), so a learner's expected error is the same on both; the tasks themselves differ.
 *
 * @module
 */
import type { Rng } from "../../random/rng.ts";

/** A family of one-dimensional regression functions with a task distribution. */
export interface RegressionFamily<P> {
  /** Short name, e.g. `"sinusoid"`. */
  readonly name: string;
  /** Draws one task's parameters. */
  sampleTask(rng: Rng): P;
  /** The task's function at `x`. */
  value(task: P, x: number): number;
  /** Draws `n` inputs for the task (support or query points). */
  sampleInputs(task: P, rng: Rng, n: number): Float64Array;
  /** `n` evenly spaced inputs covering the task's input domain (evaluation query points). */
  grid(task: P, n: number): Float64Array;
}

/** Parameters of a sinusoid task y = amplitude·sin(x − phase). */
export interface SinusoidTask {
  /** A ~ U[0.1, 5]. */
  readonly amplitude: number;
  /** φ ~ U[0, π]. */
  readonly phase: number;
}

/** Ranges of the sinusoid family (Finn et al. 2017; torchmeta `Sinusoid`). */
export const SINUSOID_RANGES = {
  amplitude: [0.1, 5],
  phase: [0, Math.PI],
  input: [-5, 5],
} as const;

function uniformGrid(low: number, high: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = n === 1 ? (low + high) / 2 : low + (high - low) * i / (n - 1);
  }
  return out;
}

function uniformInputs(rng: Rng, n: number, [low, high]: readonly [number, number]): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniformIn(low, high);
  return out;
}

/**
 * The sinusoid family of Finn et al. 2017: y = A·sin(x − φ), A ~ U[0.1, 5], φ ~ U[0, π],
 * x ~ U[−5, 5]; evaluation grids are evenly spaced over [−5, 5].
 *
 * @example
 * ```ts
 * import { sinusoid } from "./families.ts";
 * import { Rng } from "../../random/rng.ts";
 * const task = sinusoid.sampleTask(new Rng(0));
 * const y0 = sinusoid.value(task, 0); // = −A·sin(φ)
 * ```
 */
export const sinusoid: RegressionFamily<SinusoidTask> = {
  name: "sinusoid",
  sampleTask: (rng) => ({
    amplitude: rng.uniformIn(...SINUSOID_RANGES.amplitude),
    phase: rng.uniformIn(...SINUSOID_RANGES.phase),
  }),
  value: (task, x) => task.amplitude * Math.sin(x - task.phase),
  sampleInputs: (_task, rng, n) => uniformInputs(rng, n, SINUSOID_RANGES.input),
  grid: (_task, n) => uniformGrid(...SINUSOID_RANGES.input, n),
};

/** Parameters of a harmonic task y = a₁·sin(ω x + b₁) + a₂·sin(2ω x + b₂). */
export interface HarmonicTask {
  /** Centre μ of the inputs, ~ U[−4, 4]; inputs are μ + N(0, 1). */
  readonly centre: number;
  /** ω ~ U[5, 7]. */
  readonly frequency: number;
  /** a₁, a₂ ~ N(0, 1) each. */
  readonly amplitudes: readonly [number, number];
  /** b₁, b₂ ~ U[0, 2π] each. */
  readonly phases: readonly [number, number];
}

/** Ranges of the harmonic family (torchmeta `Harmonic`). */
export const HARMONIC_RANGES = {
  centre: [-4, 4],
  frequency: [5, 7],
  phase: [0, 2 * Math.PI],
  /** Evaluation grids span μ ± 3 (three standard deviations of the input distribution). */
  gridHalfWidth: 3,
} as const;

/**
 * The harmonic family of Lacoste et al. 2018 with torchmeta's conventions (`toy/harmonic.py`):
 * y = a₁·sin(ωx + b₁) + a₂·sin(2ωx + b₂), ω ~ U[5, 7], b ~ U[0, 2π], a ~ N(0, 1) (torchmeta's
 * code draws `randn` amplitudes although its docstring says [5, 7]; we follow the code),
 * inputs μ + N(0, 1) with μ ~ U[−4, 4]. Evaluation grids span μ ± 3.
 *
 * @example
 * ```ts
 * import { harmonic } from "./families.ts";
 * import { Rng } from "../../random/rng.ts";
 * const rng = new Rng(1);
 * const task = harmonic.sampleTask(rng);
 * const xs = harmonic.sampleInputs(task, rng, 10);
 * ```
 */
export const harmonic: RegressionFamily<HarmonicTask> = {
  name: "harmonic",
  sampleTask: (rng) => ({
    centre: rng.uniformIn(...HARMONIC_RANGES.centre),
    frequency: rng.uniformIn(...HARMONIC_RANGES.frequency),
    amplitudes: [rng.normal(), rng.normal()],
    phases: [rng.uniformIn(...HARMONIC_RANGES.phase), rng.uniformIn(...HARMONIC_RANGES.phase)],
  }),
  value: (t, x) =>
    t.amplitudes[0] * Math.sin(t.frequency * x + t.phases[0]) +
    t.amplitudes[1] * Math.sin(2 * t.frequency * x + t.phases[1]),
  sampleInputs: (t, rng, n) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = t.centre + rng.normal();
    return out;
  },
  grid: (t, n) =>
    uniformGrid(
      t.centre - HARMONIC_RANGES.gridHalfWidth,
      t.centre + HARMONIC_RANGES.gridHalfWidth,
      n,
    ),
};

/** A task of the sinusoid-or-line family: a sinusoid, or a line y = slope·x + intercept. */
export type SinusoidOrLineTask =
  | ({ readonly kind: "sinusoid" } & SinusoidTask)
  | { readonly kind: "line"; readonly slope: number; readonly intercept: number };

/** Ranges of the lines in the sinusoid-or-line family (torchmeta `SinusoidAndLine`). */
export const LINE_RANGES = { slope: [-3, 3], intercept: [-3, 3] } as const;

/**
 * The multimodal family of Finn et al. 2018 (probabilistic MAML) with torchmeta's conventions
 * (`toy/sinusoid_line.py`): each task is a sinusoid (as {@linkcode sinusoid}) or a line with
 * slope and intercept ~ U[−3, 3], inputs ~ U[−5, 5]. torchmeta fixes exactly half of a finite
 * task pool as sinusoids; this stream draws the kind with probability ½ per task.
 *
 * @example
 * ```ts
 * import { sinusoidOrLine } from "./families.ts";
 * import { Rng } from "../../random/rng.ts";
 * const task = sinusoidOrLine.sampleTask(new Rng(3));
 * console.log(task.kind); // "sinusoid" or "line"
 * ```
 */
export const sinusoidOrLine: RegressionFamily<SinusoidOrLineTask> = {
  name: "sinusoid-or-line",
  sampleTask: (rng) => {
    const isSinusoid = rng.uniform() < 0.5;
    // Draw all four numbers either way so that the kind does not shift later draws.
    const amplitude = rng.uniformIn(...SINUSOID_RANGES.amplitude);
    const phase = rng.uniformIn(...SINUSOID_RANGES.phase);
    const slope = rng.uniformIn(...LINE_RANGES.slope);
    const intercept = rng.uniformIn(...LINE_RANGES.intercept);
    return isSinusoid ? { kind: "sinusoid", amplitude, phase } : { kind: "line", slope, intercept };
  },
  value: (t, x) =>
    t.kind === "sinusoid" ? t.amplitude * Math.sin(x - t.phase) : t.slope * x + t.intercept,
  sampleInputs: (_t, rng, n) => uniformInputs(rng, n, SINUSOID_RANGES.input),
  grid: (_t, n) => uniformGrid(...SINUSOID_RANGES.input, n),
};
