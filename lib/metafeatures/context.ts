/**
 * Turns a table and a target column into the prepared views every meta-feature reads: typed
 * feature columns, class codes or numeric targets, a complete numeric design matrix, discretised
 * columns and cross-validation folds. Views are built lazily and cached, so a group that is not
 * requested costs nothing.
 *
 * Data policy (documented in one place so that every measure sees the same data):
 * - A value is missing when it is `null`, `undefined`, `NaN`, ±Infinity or the empty string.
 *   Rows whose target is missing are dropped before anything else.
 * - A feature column is numeric when every non-missing value is a number (or a Date, read as its
 *   timestamp); otherwise it is categorical and its values are compared as strings.
 * - The task, when not given, is inferred by `inferTaskType` of `lib/data/task_type.ts`, the rule
 *   `prepareDataset` uses too: classification when the target has a non-numeric value, or when
 *   all its values are integers with at most {@linkcode CONTEXT_DEFAULTS}.maxInferredClasses
 *   distinct values; regression otherwise. Classes are ordered like `numpy.unique` (numbers
 *   ascending, or strings by code unit). A classification target needs at least 2 classes, by
 *   `classCountIssue` of the same module, the rule `prepareDataset` applies too.
 * - Measures that need complete data replace missing numeric values by the column mean and
 *   missing categorical values by the column mode (ties: first level in sorted order).
 * - Numeric-only measures (the statistical group) read the numeric feature columns only.
 * - Learners (landmarking, model-based) read the design matrix: numeric columns plus dummy-coded
 *   categorical columns (one 0/1 column per level except the first), every column z-scored with
 *   the population standard deviation, constant columns dropped.
 * - Extreme magnitudes: a numeric column whose largest |value| exceeds 1e100, or is non-zero and
 *   below 1e-100, is multiplied by an exact power of two ({@linkcode rescaleColumn}) before
 *   squares are taken, so variance, constancy and z-scores neither overflow nor underflow;
 *   scale-dependent statistics are mapped back by the inverse power (and are ±Infinity, i.e.
 *   NaN with an overflow reason, when the true value is not representable). Other columns are
 *   read as they are.
 * - Information-theoretic measures read discretised columns: categorical codes as they are,
 *   numeric columns cut into `bins` equal-width bins over [min, max] (bin index
 *   `min(floor((x − min) / (max − min) · bins), bins − 1)`, on values halved first when
 *   max − min overflows, which gives the same bins without the overflow; a constant column is
 *   one bin). A regression target is discretised the same way, so `class_ent` of a regression
 *   task is the entropy of the binned target.
 *
 * @module
 */

import { Rng } from "../random/rng.ts";
import { extremeMagnitudeExponent, mean, timesPowerOfTwo, variance } from "../stats/mod.ts";
import {
  classCountIssue,
  inferTaskType,
  TASK_TYPE_DEFAULTS,
  type TaskType,
} from "../data/task_type.ts";

/** What a meta-feature set is computed for. */
export type Task = TaskType;

/** How a feature column is read. */
export type FeatureKind = "numeric" | "categorical";

/**
 * Defaults of the data preparation: `maxInferredClasses` (20) bounds the distinct integer targets
 * that are still read as classes; `bins` (10) equal-width bins discretise numeric columns;
 * `folds` (10) stratified folds are used by landmarkers; `maxDepth` (5) bounds the model-based
 * decision tree.
 */
export const CONTEXT_DEFAULTS = {
  maxInferredClasses: TASK_TYPE_DEFAULTS.maxClasses,
  bins: 10,
  folds: 10,
  maxDepth: 5,
} as const;

/** One prepared feature column. */
export interface FeatureColumn {
  /** The column name in the input table. */
  readonly name: string;
  /** Numeric or categorical (see the module documentation). */
  readonly kind: FeatureKind;
  /** How many values were missing. */
  readonly missing: number;
  /** How many distinct non-missing values the column has. */
  readonly distinct: number;
  /** Numeric columns: the values with missing ones replaced by the column mean. */
  readonly values?: Float64Array;
  /** Categorical columns: level codes with missing ones replaced by the mode. */
  readonly codes?: Int32Array;
  /** Categorical columns: the levels, sorted. */
  readonly levels?: readonly string[];
}

/** The design matrix learners read: n × d, row-major. */
export interface DesignMatrix {
  /** The values, row-major (row i, column j at i · columns + j). */
  readonly x: Float64Array;
  /** Number of rows n. */
  readonly rows: number;
  /** Number of columns d. */
  readonly columns: number;
  /** For each design column, the index of the feature it comes from. */
  readonly source: Int32Array;
}

/** A discretised column: codes in [0, levels). */
export interface DiscreteColumn {
  /** The code of every row. */
  readonly codes: Int32Array;
  /** How many codes there can be. */
  readonly levels: number;
}

/** The settings a context is built with. */
export interface ContextSettings {
  /** The target column. */
  readonly target: string;
  /** The task; inferred from the target when absent (see the module docs). */
  readonly task?: Task;
  /** Seed of every random stream. */
  readonly seed: number;
  /** Equal-width bins for discretisation. */
  readonly bins: number;
  /** Cross-validation folds of landmarkers. */
  readonly folds: number;
  /** Maximum depth of the model-based tree. */
  readonly maxDepth: number;
}

/**
 * The prepared dataset handed to every {@linkcode MetaFeatureExtractor}: read-only views, built
 * on first use and cached.
 *
 * @example
 * ```ts
 * import { tableFromCsv } from "../data/mod.ts";
 * import { MetaFeatureContext } from "./context.ts";
 * const { table } = tableFromCsv("x,y\n1,a\n2,a\n3,b\n4,b");
 * const ctx = MetaFeatureContext.fromTable(table, {
 *   target: "y", seed: 0, bins: 10, folds: 2, maxDepth: 3,
 * });
 * console.log(ctx.task, ctx.classes); // "classification" ["a", "b"]
 * ```
 */
export class MetaFeatureContext {
  /** Classification or regression. */
  readonly task: Task;
  /** The target column's name. */
  readonly target: string;
  /** The seed every random choice derives from. */
  readonly seed: number;
  /** Number of equal-width bins for discretisation. */
  readonly bins: number;
  /** Number of cross-validation folds for landmarkers. */
  readonly folds: number;
  /** Maximum depth of the model-based tree. */
  readonly maxDepth: number;
  /** Number of rows (after dropping rows with a missing target). */
  readonly rows: number;
  /** The prepared feature columns, in table order without the target. */
  readonly features: readonly FeatureColumn[];
  /** Classification: the class labels, ordered. Regression: empty. */
  readonly classes: readonly string[];
  /** Classification: the class index of every row. Regression: empty. */
  readonly y: Int32Array;
  /** Regression: the target values. Classification: the class indices as numbers. */
  readonly yValues: Float64Array;
  /** Missing feature cells (before imputation). */
  readonly missingCells: number;
  /** Rows with at least one missing feature value. */
  readonly rowsWithMissing: number;
  readonly #cache = new Map<string, unknown>();

  private constructor(fields: {
    task: Task;
    settings: ContextSettings;
    rows: number;
    features: FeatureColumn[];
    classes: string[];
    y: Int32Array;
    yValues: Float64Array;
    missingCells: number;
    rowsWithMissing: number;
  }) {
    this.task = fields.task;
    this.target = fields.settings.target;
    this.seed = fields.settings.seed;
    this.bins = fields.settings.bins;
    this.folds = fields.settings.folds;
    this.maxDepth = fields.settings.maxDepth;
    this.rows = fields.rows;
    this.features = fields.features;
    this.classes = fields.classes;
    this.y = fields.y;
    this.yValues = fields.yValues;
    this.missingCells = fields.missingCells;
    this.rowsWithMissing = fields.rowsWithMissing;
  }

  /**
   * Prepares a table given as named columns (what `table.columnNames()` / `table.array(name)`
   * give for an arquero table). Throws an Error naming the column for a missing target, an
   * empty table, a target without values, a single class or a feature without any value.
   */
  static fromColumns(
    columns: ReadonlyMap<string, ArrayLike<unknown>>,
    settings: ContextSettings,
  ): MetaFeatureContext {
    const target = settings.target;
    const rawTarget = columns.get(target);
    if (rawTarget === undefined) {
      throw new Error(
        `target: column '${target}' is not in the table (columns: ${
          [...columns.keys()].map((c) => `'${c}'`).join(", ") || "none"
        })`,
      );
    }
    if (rawTarget.length === 0) throw new Error(`table: the table is empty (no rows)`);
    const keep: number[] = [];
    for (let i = 0; i < rawTarget.length; i++) if (!isMissing(rawTarget[i])) keep.push(i);
    if (keep.length === 0) {
      throw new Error(`target: column '${target}' has no non-missing values`);
    }
    const names = [...columns.keys()].filter((c) => c !== target);
    if (names.length === 0) throw new Error(`table: no feature columns besides target '${target}'`);
    const targetValues = keep.map((i) => rawTarget[i]);
    const task = settings.task ??
      inferTaskType(targetValues, { maxClasses: CONTEXT_DEFAULTS.maxInferredClasses });
    const { classes, y, yValues } = prepareTarget(targetValues, task, target);

    let missingCells = 0;
    const rowMissing = new Uint8Array(keep.length);
    const features = names.map((name) => {
      const raw = columns.get(name)!;
      if (raw.length !== rawTarget.length) {
        throw new Error(
          `table: column '${name}' has ${raw.length} values but '${target}' has ${rawTarget.length}`,
        );
      }
      const values = keep.map((i) => raw[i]);
      values.forEach((v, i) => {
        if (isMissing(v)) {
          missingCells++;
          rowMissing[i] = 1;
        }
      });
      return prepareFeature(name, values);
    });
    return new MetaFeatureContext({
      task,
      settings,
      rows: keep.length,
      features,
      classes,
      y,
      yValues,
      missingCells,
      rowsWithMissing: rowMissing.reduce((a, b) => a + b, 0),
    });
  }

  /** Prepares an arquero table (anything with `columnNames()` and `array(name)`). */
  static fromTable(
    table: { columnNames(): string[]; array(name: string): ArrayLike<unknown> },
    settings: ContextSettings,
  ): MetaFeatureContext {
    const columns = new Map<string, ArrayLike<unknown>>();
    for (const name of table.columnNames()) columns.set(name, table.array(name));
    return MetaFeatureContext.fromColumns(columns, settings);
  }

  /** Computes a value once per context and returns the cached value afterwards. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.#cache.has(key)) this.#cache.set(key, compute());
    return this.#cache.get(key) as T;
  }

  /**
   * A generator for one named random stream (`Rng.stream(seed, stream)`), so a
   * measure's randomness does not depend on which other measures run.
   */
  rng(stream: string): Rng {
    return Rng.stream(this.seed, stream);
  }

  /** The imputed numeric feature columns (the statistical group's input). */
  numericColumns(): readonly Float64Array[] {
    return this.memo(
      "numericColumns",
      () => this.features.filter((f) => f.kind === "numeric").map((f) => f.values!),
    );
  }

  /** The z-scored design matrix with dummy-coded categorical columns (see module docs). */
  design(): DesignMatrix {
    return this.memo("design", () => buildDesign(this.features, this.rows));
  }

  /** Discretised feature columns (see module docs). */
  discreteFeatures(): readonly DiscreteColumn[] {
    return this.memo(
      "discreteFeatures",
      () =>
        this.features.map((f) =>
          f.kind === "categorical"
            ? { codes: f.codes!, levels: f.levels!.length }
            : equalWidthBins(f.values!, this.bins)
        ),
    );
  }

  /** The discretised target: class codes, or equal-width bins of a regression target. */
  discreteTarget(): DiscreteColumn {
    return this.memo(
      "discreteTarget",
      () =>
        this.task === "classification"
          ? { codes: this.y, levels: this.classes.length }
          : equalWidthBins(this.yValues, this.bins),
    );
  }

  /**
   * The fold index of every row, `min(folds, rows)` folds. Classification: stratified, rows of
   * each class (in class order, rows ascending) shuffled by the `"folds"` stream and dealt
   * round-robin, continuing the count across classes. Regression: all rows shuffled and dealt.
   */
  foldAssignment(): Int32Array {
    return this.memo("folds", () => {
      const k = Math.min(this.folds, this.rows);
      const rng = this.rng("folds");
      const fold = new Int32Array(this.rows);
      const groups: number[][] = this.task === "classification" ? this.classes.map(() => []) : [[]];
      for (let i = 0; i < this.rows; i++) {
        groups[this.task === "classification" ? this.y[i] : 0].push(i);
      }
      let position = 0;
      for (const members of groups) {
        rng.shuffle(members);
        for (const row of members) fold[row] = position++ % k;
      }
      return fold;
    });
  }
}

export { fnv1a32 } from "../random/rng.ts";

/** Whether a raw cell counts as missing (see module docs). */
export function isMissing(v: unknown): boolean {
  if (v === null || v === undefined || v === "") return true;
  if (typeof v === "number") return !Number.isFinite(v);
  if (v instanceof Date) return !Number.isFinite(v.getTime());
  return false;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (v instanceof Date) return v.getTime();
  return undefined;
}

function sortedLevels(values: readonly unknown[]): string[] {
  const allNumbers = values.every((v) => asNumber(v) !== undefined);
  if (allNumbers) {
    const nums = [...new Set(values.map((v) => asNumber(v)!))].sort((a, b) => a - b);
    return nums.map(String);
  }
  return [...new Set(values.map(String))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function prepareTarget(values: readonly unknown[], task: Task, target: string) {
  if (task === "regression") {
    const yValues = new Float64Array(values.length);
    values.forEach((v, i) => {
      const x = asNumber(v);
      if (x === undefined) {
        throw new Error(
          `target: column '${target}' has the non-numeric value '${String(v)}' (row ${i}), ` +
            `so it cannot be a regression target`,
        );
      }
      yValues[i] = x;
    });
    return { classes: [] as string[], y: new Int32Array(0), yValues };
  }
  const classes = sortedLevels(values);
  const issue = classCountIssue(classes);
  if (issue !== undefined) throw new Error(`target: column '${target}' ${issue}`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = Int32Array.from(values, (v) => index.get(String(asNumber(v) ?? v))!);
  return { classes, y, yValues: Float64Array.from(y) };
}

function prepareFeature(name: string, values: readonly unknown[]): FeatureColumn {
  const n = values.length;
  let missing = 0, numeric = true;
  const presentNumbers: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissing(v)) missing++;
    else if (numeric) {
      const x = asNumber(v);
      if (x === undefined) numeric = false;
      else presentNumbers.push(x);
    }
  }
  if (missing === n) throw new Error(`table: column '${name}' has no non-missing values`);
  if (numeric) {
    // The mean of the present values (rescaled where their sum overflows).
    const fill = mean(presentNumbers);
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = isMissing(values[i]) ? fill : asNumber(values[i])!;
    const distinct = new Set<number>();
    for (let i = 0; i < n; i++) if (!isMissing(values[i])) distinct.add(column[i]);
    return { name, kind: "numeric", missing, distinct: distinct.size, values: column };
  }
  const present = values.filter((v) => !isMissing(v));
  const levels = sortedLevels(present.map(String));
  const index = new Map(levels.map((l, i) => [l, i]));
  const counts = new Int32Array(levels.length);
  for (const v of present) counts[index.get(String(v))!]++;
  let mode = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i] > counts[mode]) mode = i;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    codes[i] = isMissing(values[i]) ? mode : index.get(String(values[i]))!;
  }
  return { name, kind: "categorical", missing, distinct: levels.length, codes, levels };
}

/** A column multiplied by `2^exponent` (see {@linkcode rescaleColumn}). */
export interface RescaledColumn {
  /** The rescaled values (the input itself when `exponent` is 0). */
  readonly values: Float64Array;
  /** The power of two the values were multiplied by. */
  readonly exponent: number;
}

/**
 * Rescales a column by an exact power of two when its magnitude is extreme (largest finite
 * |value| > 1e100, or non-zero and < 1e-100) so that its largest |value| lies in [1, 2);
 * otherwise returns the column itself with exponent 0 (so ordinary inputs stay bit-identical).
 * The exponent is `-extremeMagnitudeExponent(x)` of `lib/stats`.
 */
export function rescaleColumn(x: Float64Array): RescaledColumn {
  const k = extremeMagnitudeExponent(x);
  if (k === 0) return { values: x, exponent: 0 };
  const exponent = -k;
  return { values: x.map((v) => timesPowerOfTwo(v, exponent)), exponent };
}

function equalWidthBins(x: Float64Array, bins: number): DiscreteColumn {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  const codes = new Int32Array(x.length);
  if (!(hi > lo)) return { codes, levels: 1 };
  // When max − min overflows (values of both signs near the float64 limit), the same formula on
  // halved values: halving is exact, and x/2 − min/2 rounds to exactly half of the rounded
  // x − min, so the codes are those of an overflow-free computation. Other columns take the
  // plain formula, unchanged.
  const s = Number.isFinite(hi - lo) ? 1 : 0.5;
  const width = hi * s - lo * s;
  for (let i = 0; i < x.length; i++) {
    codes[i] = Math.min(Math.floor(((x[i] * s - lo * s) / width) * bins), bins - 1);
  }
  return { codes, levels: bins };
}

function buildDesign(features: readonly FeatureColumn[], rows: number): DesignMatrix {
  const columns: Float64Array[] = [];
  const source: number[] = [];
  features.forEach((f, j) => {
    if (f.kind === "numeric") {
      columns.push(f.values!);
      source.push(j);
    } else {
      for (let level = 1; level < f.levels!.length; level++) {
        columns.push(Float64Array.from(f.codes!, (c) => (c === level ? 1 : 0)));
        source.push(j);
      }
    }
  });
  const kept: Float64Array[] = [];
  const keptSource: number[] = [];
  columns.forEach((column, j) => {
    const c = rescaleColumn(column).values; // z-scores do not depend on the power of two
    const m = mean(c);
    const sd = Math.sqrt(variance(c, 0));
    if (!(sd > 1e-12 * Math.max(1, Math.abs(m)))) return;
    kept.push(c.map((v) => (v - m) / sd));
    keptSource.push(source[j]);
  });
  const d = kept.length;
  const x = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < rows; i++) x[i * d + j] = kept[j][i];
  return { x, rows, columns: d, source: Int32Array.from(keptSource) };
}
