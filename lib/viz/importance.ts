/**
 * Hyperparameter importances of a study by permutation importance on a surrogate model, and
 * their bar chart (Optuna's `plot_param_importances`).
 *
 * A surrogate m is fitted to the complete trials (x_i, y_i) on the space's encoding (by default
 * the float64 Gaussian process of `gpFactory()`). The importance of parameter j is the increase
 * of the surrogate's mean squared error when the encoded columns of j (the whole one-hot block of
 * a categorical) are permuted across trials, breaking their link to the objective:
 *
 *   I_j = E_π[ (1/n) Σ_i (y_i − m(x_i with x_{i,j} := x_{π(i),j}))² ] − (1/n) Σ_i (y_i − m(x_i))²,
 *
 * the permutation importance of Breiman (2001, "Random Forests", Machine Learning 45) in the
 * model-agnostic form of Fisher, Rudin & Dominici (2019, "All Models are Wrong, but Many are
 * Useful: Learning a Variable's Importance by Studying an Entire Class of Prediction Models
 * Simultaneously", JMLR 20(177)), whose model reliance compares the error after switching a
 * variable's values with the original error. I_j is reported divided by the variance of the
 * observed values (`increase`: a ratio to that variance, not a share of it — it reaches about 2
 * for a parameter the surrogate follows closely, since permuting it adds about twice the variance
 * of the part of the objective it explains), and normalised: max(I_j, 0) / Σ_k max(I_k, 0), which
 * sums to 1 as Optuna's importances do. When no permutation increases the error every importance
 * is 0, and the chart says why, rather than share 1 among parameters that do not matter: either
 * every value is the same (a constant objective: there is nothing to explain, `constant`), or the
 * surrogate's predictions do not follow the parameters (e.g. a random forest on a handful of
 * trials predicting their mean: `baselineError` near 1, no share of the variance explained).
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import { predictMean, type SurrogateFactory } from "../models/surrogate.ts";
import { checkLength } from "../acquisition/acquisition.ts";
import { parseOrThrow } from "../validate.ts";
import { axis, baseLayout, centredNote, type Figure, plotlyText, seriesColor } from "./figure.ts";
import {
  fitStudySurrogate,
  isSurrogateFactory,
  resolveStudy,
  selectParams,
  type StudySource,
} from "./_study.ts";

/** Options of {@linkcode paramImportances}. */
export interface ParamImportanceOptions {
  /**
   * The surrogate fitted to the complete trials (default: `gpFactory()`, the float64 GP); any
   * `SurrogateFactory`, e.g. a random forest, fits in. The GP's fit grows with the cube of the
   * number of trials: for large studies pass `randomForest()`, whose cost grows about as n log n.
   */
  surrogate?: SurrogateFactory;
  /** Seed of the surrogate fit and of the permutations (default 0). */
  seed?: number;
  /** Random permutations averaged per parameter (default 10). */
  repeats?: number;
  /** Only these parameters (default: every searchable parameter). */
  params?: readonly string[];
}

/**
 * Defaults of {@linkcode paramImportances}: 10 permutations, seed 0.
 *
 * @example
 * ```ts
 * import { PARAM_IMPORTANCE_DEFAULTS } from "./importance.ts";
 * PARAM_IMPORTANCE_DEFAULTS.repeats; // 10
 * ```
 */
export const PARAM_IMPORTANCE_DEFAULTS: { readonly repeats: number; readonly seed: number } = {
  repeats: 10,
  seed: 0,
};

/** One parameter's importance. */
export interface ParamImportance {
  /** The parameter. */
  name: string;
  /**
   * Normalised importance: max(increase, 0) / Σ max(increase, 0); in [0, 1], summing to 1, or all
   * 0 when no parameter's permutation increases the error (a constant objective, or a surrogate
   * whose predictions do not follow the parameters).
   */
  importance: number;
  /**
   * Mean increase of the surrogate's squared error when the parameter is permuted, divided by
   * the variance of the observed values (may be slightly negative for an unused parameter).
   */
  increase: number;
  /** Standard deviation of the increase over the permutations. */
  std: number;
}

/** What {@linkcode paramImportances} returns. */
export interface ParamImportances {
  /** The parameters, most important first. */
  params: ParamImportance[];
  /** The surrogate's name (e.g. `gp-matern52`). */
  surrogate: string;
  /** Complete trials the surrogate was fitted to. */
  trials: number;
  /**
   * The surrogate's squared error on them, divided by the variance of their values (1 − R²: near 1
   * when it explains none of the variance); 0 when the values are constant.
   */
  baselineError: number;
  /**
   * Whether every complete trial has the same value (a constant objective: nothing to explain,
   * every importance 0). Always set by {@linkcode paramImportances}; importances built by hand may
   * leave it out, and the chart then takes a `baselineError` of 0 for constant values.
   */
  constant?: boolean;
  /** Permutations per parameter. */
  repeats: number;
  /** The seed used. */
  seed: number;
}

const optionsSchema = z.object({
  surrogate: z.custom<SurrogateFactory>(
    isSurrogateFactory,
    "must be a SurrogateFactory (an object with a name and a fit method)",
  ).optional(),
  seed: z.number().int("must be an integer").optional(),
  repeats: z.number().int("must be an integer ≥ 1").min(1, "must be an integer ≥ 1").optional(),
  params: z.array(z.string()).min(1, "must name at least one parameter").optional(),
}).strict();

function meanSquaredError(values: Float64Array, predicted: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - predicted[i]) ** 2;
  return sum / values.length;
}

/**
 * Permutation importances of a study's parameters on a surrogate fitted to its complete trials
 * (see the module documentation for the definition and the papers). Seeded: the same study and
 * seed give the same numbers. Needs at least two complete trials; throws an error naming the
 * study otherwise. A surrogate that predicts NaN or ±Infinity, at a trial's configuration or at a
 * permuted one, is a RangeError naming it and the trial: no error can be compared then; one that
 * returns more or fewer predictions than points is a RangeError naming it too; so are
 * finite predictions whose squared errors overflow (beyond about 1e154 from the values).
 *
 * @example
 * ```ts
 * import { defineSpace, float } from "../space/mod.ts";
 * import { paramImportances } from "./importance.ts";
 * const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
 * const trials = Array.from({ length: 12 }, (_, i) => {
 *   const params = { x: ((i * 7) % 12) / 11, y: ((i * 5) % 12) / 11 };
 *   return { id: i, params, status: "complete" as const, value: 10 * params.x + params.y, source: "initial" as const };
 * });
 * const result = paramImportances({ trials, space });
 * result.params[0].name; // "x"
 * ```
 */
export function paramImportances<P>(
  study: StudySource<P>,
  options: ParamImportanceOptions = {},
): ParamImportances {
  const fn = "paramImportances";
  parseOrThrow(optionsSchema, options, `${fn}: options`);
  const resolved = resolveStudy(study, "study", fn, 2);
  const params = selectParams(resolved, options.params, fn);
  if (params.length === 0) throw new RangeError(`${fn}: study has no searchable parameter`);
  const seed = options.seed ?? PARAM_IMPORTANCE_DEFAULTS.seed;
  const repeats = options.repeats ?? PARAM_IMPORTANCE_DEFAULTS.repeats;
  const rng = new Rng(seed);
  const fitted = fitStudySurrogate(resolved, options.surrogate, rng.spawn(), fn);
  const { model, points, values } = fitted;
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v / n;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2 / n;
  // Importances compare squared errors of the surrogate's predictions: a prediction that is NaN
  // or ±Infinity leaves nothing to compare (no error is 0, nor does the surrogate explain 100%).
  const method = typeof model.predictMean === "function" ? "predictMean" : "predict";
  const predict = (at: Float64Array[], where: (i: number) => string) => {
    const predicted = predictMean(model, at);
    // One prediction per point, as bayesOpt checks it: more or fewer would pair the wrong errors.
    checkLength(
      predicted,
      at.length,
      `${fn}: surrogate ${JSON.stringify(fitted.name)} ${method}: mean`,
      `${at.length} values (one per point)`,
    );
    const i = predicted.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) {
      throw new RangeError(
        `${fn}: the surrogate ${fitted.name} predicts ${predicted[i]} at ${where(i)}; ` +
          "permutation importances need finite predictions",
      );
    }
    return predicted;
  };
  const baseline = meanSquaredError(
    values,
    predict(points, (i) => `trial ${resolved.complete[i].number}'s configuration`),
  );
  const increases = params.map(() => new Float64Array(repeats));
  const order = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < repeats; r++) {
    // One permutation per repeat, shared by the parameters: their comparison is paired.
    const permutation = rng.shuffle([...order]);
    params.forEach((param, j) => {
      const permuted = points.map((point, i) => {
        const copy = Float64Array.from(point);
        for (const c of param.columns) copy[c] = points[permutation[i]][c];
        return copy;
      });
      const predicted = predict(
        permuted,
        (i) => `trial ${resolved.complete[i].number}'s configuration with ${param.name} permuted`,
      );
      increases[j][r] = meanSquaredError(values, predicted) - baseline;
    });
  }
  // Finite predictions far beyond the values' range (beyond about 1e154 from them) have squared
  // errors that overflow: no increase can be compared then either.
  if (!Number.isFinite(baseline) || increases.some((row) => row.some((v) => !Number.isFinite(v)))) {
    throw new RangeError(
      `${fn}: the squared errors of the surrogate ${fitted.name}'s predictions overflow ` +
        "(predictions beyond about 1e154 from the values); permutation importances need finite errors",
    );
  }
  const relative = (v: number) => variance > 0 ? v / variance : 0;
  const summaries = params.map((param, j) => {
    const samples = Array.from(increases[j], relative);
    const m = samples.reduce((a, b) => a + b, 0) / repeats;
    const sd = repeats > 1
      ? Math.sqrt(samples.reduce((a, b) => a + (b - m) ** 2, 0) / (repeats - 1))
      : 0;
    return { name: param.name, increase: m, std: sd };
  });
  const total = summaries.reduce((a, s) => a + Math.max(s.increase, 0), 0);
  const result = summaries.map((s) => ({
    name: s.name,
    importance: total > 0 ? Math.max(s.increase, 0) / total : 0,
    increase: s.increase,
    std: s.std,
  }));
  result.sort((a, b) => b.importance - a.importance || b.increase - a.increase);
  return {
    params: result,
    surrogate: fitted.name,
    trials: n,
    baselineError: relative(baseline),
    constant: values.every((v) => v === values[0]),
    repeats,
    seed,
  };
}

const figureOptionsSchema = z.strictObject({ title: z.string().optional() });

const importancesSchema = z.object({
  params: z.array(
    z.object({
      name: z.string(),
      importance: z.number(),
      increase: z.number(),
      std: z.number(),
    }).loose(),
  ).min(1, "must hold at least one parameter"),
  surrogate: z.string(),
  trials: z.number(),
  constant: z.boolean().optional(),
}).loose();

/**
 * Horizontal bars of parameter importances, the most important on top, labelled with their
 * share (Optuna's `plot_param_importances`); the hover shows the increase of the squared error
 * and its standard deviation over the permutations. Importances all 0 are drawn on an axis from 0
 * to 1 with a note saying why: a constant objective (`constant`), or a surrogate that explains
 * little or none of the values' variance (its `baselineError`, shown as a share explained).
 *
 * @example
 * ```ts
 * import { paramImportanceFigure } from "./importance.ts";
 * const figure = paramImportanceFigure({
 *   params: [
 *     { name: "lr", importance: 0.8, increase: 1.2, std: 0.1 },
 *     { name: "units", importance: 0.2, increase: 0.3, std: 0.05 },
 *   ],
 *   surrogate: "gp-matern52", trials: 30, baselineError: 0.01, repeats: 10, seed: 0,
 * });
 * ```
 */
export function paramImportanceFigure(
  importances: ParamImportances,
  options: { title?: string } = {},
): Figure {
  parseOrThrow(importancesSchema, importances, "paramImportanceFigure: importances");
  parseOrThrow(figureOptionsSchema, options, "paramImportanceFigure: options");
  const shown = importances.params.toReversed();
  const none = shown.every((p) => !(p.importance > 0));
  const constant = importances.constant ?? importances.baselineError === 0;
  const error = importances.baselineError;
  const explained = typeof error === "number" && Number.isFinite(error)
    ? ` explains ${(100 * Math.max(0, 1 - error)).toFixed(0)}% of the values' variance`
    : "'s predictions do not follow the parameters";
  const why = constant
    ? "(every trial has the same value: a constant objective leaves nothing to explain)"
    : `(not a constant objective: the surrogate ${importances.surrogate}${explained})`;
  return {
    data: [{
      type: "bar",
      orientation: "h",
      x: shown.map((p) => (Number.isFinite(p.importance) ? p.importance : 0)),
      y: shown.map((p) => plotlyText(p.name)),
      text: shown.map((p) => `${(100 * p.importance).toFixed(1)}%`),
      textposition: "outside",
      cliponaxis: false,
      customdata: shown.map((p) => [p.increase, p.std]),
      marker: { color: seriesColor(0) },
      hovertemplate:
        "%{y}: %{x:.3f}<br>error increase %{customdata[0]:.3g} ± %{customdata[1]:.2g}<extra></extra>",
    }],
    layout: baseLayout(
      options.title ??
        `Hyperparameter importances (permutation on ${importances.surrogate}, ${importances.trials} trials)`,
      {
        height: Math.max(260, 36 * shown.length + 140),
        xaxis: axis("importance (share of the permutation error increase)", {
          range: [0, none ? 1 : 1.12 * Math.max(...shown.map((p) => p.importance || 0))],
        }),
        ...(none
          ? {
            annotations: [
              centredNote(
                "All importances are 0: permuting no parameter increased the surrogate's " +
                  `error<br>${why}`,
              ),
            ],
          }
          : {}),
        yaxis: axis("", { automargin: true }),
        margin: { l: 100, r: 40, b: 60 },
        showlegend: false,
      },
    ),
  };
}
