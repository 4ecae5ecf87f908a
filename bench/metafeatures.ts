/**
 * Meta-feature extraction timing: all default groups on a 5,000 × 20 table (16 numeric columns,
 * 4 categorical columns with 3 levels, 2% missing cells, 3 classes), each group alone on that
 * table, and how the total grows with rows (at 20 features) and with features (at 5,000 rows).
 * Each point is the median of `repeats` runs after one warm-up run (timings are wall clock on a
 * shared machine, so medians are reported next to the minimum).
 *
 * `deno run -A bench/metafeatures.ts [--repeats 3] [--rows 1000,2000,5000,10000]
 *   [--features 5,10,20,40]` prints one JSON object.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { extractMetaFeatures } from "../lib/metafeatures/mod.ts";
import { Rng } from "../lib/random/rng.ts";

/** Options of {@linkcode runMetaFeatureBenchmark}. */
export interface MetaFeatureBenchOptions {
  /** Timed runs per point (after one warm-up run); default 3. */
  readonly repeats?: number;
  /** Row counts of the row-scaling series (20 features); default 1000, 2000, 5000, 10000. */
  readonly rows?: readonly number[];
  /** Feature counts of the feature-scaling series (5,000 rows); default 5, 10, 20, 40. */
  readonly features?: readonly number[];
  /** Seed of the synthetic tables; default 0. */
  readonly seed?: number;
}

/** One timed point: median and minimum wall-clock milliseconds. */
export interface TimingPoint {
  readonly rows: number;
  readonly features: number;
  readonly groups: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly metaFeatures: number;
}

/** What {@linkcode runMetaFeatureBenchmark} returns (and the script prints as JSON). */
export interface MetaFeatureBenchResult {
  readonly headline: TimingPoint;
  readonly targetMs: number;
  readonly withinTarget: boolean;
  readonly perGroup: readonly TimingPoint[];
  readonly byRows: readonly TimingPoint[];
  readonly byFeatures: readonly TimingPoint[];
}

const GROUPS = ["general", "statistical", "info-theory", "landmarking", "model-based"];

/**
 * A synthetic classification table: a quarter of the columns categorical (3 levels), the rest
 * Gaussian, 2% of feature cells missing, 3 classes driven by the first columns plus noise.
 */
export function syntheticTable(
  rows: number,
  features: number,
  seed = 0,
): Record<string, (number | string | null)[]> {
  const rng = new Rng(seed);
  const categorical = Math.floor(features / 4);
  const columns: Record<string, (number | string | null)[]> = {};
  const signal = new Float64Array(rows);
  for (let j = 0; j < features; j++) {
    const isCat = j >= features - categorical;
    const col: (number | string | null)[] = [];
    for (let i = 0; i < rows; i++) {
      const z = rng.normal();
      if (j < 3) signal[i] += z;
      const value = isCat ? ["u", "v", "w"][Math.min(2, Math.floor(rng.uniform() * 3))] : z;
      col.push(rng.uniform() < 0.02 ? null : value);
    }
    columns[`f${j}`] = col;
  }
  columns.target = Array.from(signal, (s) => {
    const v = s + rng.normal();
    return v < -0.8 ? "a" : v < 0.8 ? "b" : "c";
  });
  return columns;
}

function time(
  table: Record<string, unknown[]>,
  groups: readonly string[],
  repeats: number,
  rows: number,
  features: number,
): TimingPoint {
  let metaFeatures = 0;
  const run = () => {
    const t0 = performance.now();
    metaFeatures = extractMetaFeatures(table, { target: "target", groups: [...groups] }).names
      .length;
    return performance.now() - t0;
  };
  run();
  const times = Array.from({ length: repeats }, run).sort((a, b) => a - b);
  return {
    rows,
    features,
    groups: groups.length === GROUPS.length ? "all" : groups.join(","),
    medianMs: Math.round(times[Math.floor(times.length / 2)]),
    minMs: Math.round(times[0]),
    metaFeatures,
  };
}

/**
 * Runs the meta-feature benchmark and returns its timings.
 *
 * @example
 * ```ts
 * import { runMetaFeatureBenchmark } from "./metafeatures.ts";
 * const result = runMetaFeatureBenchmark({ repeats: 1, rows: [500], features: [5] });
 * console.log(result.headline.medianMs, result.withinTarget);
 * ```
 */
export function runMetaFeatureBenchmark(
  options: MetaFeatureBenchOptions = {},
): MetaFeatureBenchResult {
  const repeats = options.repeats ?? 3;
  const seed = options.seed ?? 0;
  const base = syntheticTable(5000, 20, seed);
  const headline = time(base, GROUPS, repeats, 5000, 20);
  return {
    headline,
    targetMs: 2000,
    withinTarget: headline.medianMs < 2000,
    perGroup: GROUPS.map((g) => time(base, [g], repeats, 5000, 20)),
    byRows: (options.rows ?? [1000, 2000, 5000, 10000]).map((n) =>
      time(syntheticTable(n, 20, seed), GROUPS, repeats, n, 20)
    ),
    byFeatures: (options.features ?? [5, 10, 20, 40]).map((p) =>
      time(syntheticTable(5000, p, seed), GROUPS, repeats, 5000, p)
    ),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      repeats: { type: "string", default: "3" },
      rows: { type: "string", default: "1000,2000,5000,10000" },
      features: { type: "string", default: "5,10,20,40" },
      seed: { type: "string", default: "0" },
    },
  });
  const list = (name: string, text: string) =>
    text.split(",").map((s) => {
      const v = Number(s);
      if (!Number.isInteger(v) || v <= 0) {
        throw new RangeError(`--${name}: expected positive integers, got "${text}"`);
      }
      return v;
    });
  const result = runMetaFeatureBenchmark({
    repeats: list("repeats", values.repeats)[0],
    rows: list("rows", values.rows),
    features: list("features", values.features),
    seed: Number(values.seed),
  });
  console.log(JSON.stringify(result, null, 2));
}
