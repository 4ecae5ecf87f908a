/**
 * From a typed table to model-ready arrays: choose target and features, handle missing values by a
 * stated policy, split with a seed (stratified for classification), fit standardisation and
 * one-hot encoding on the training rows only, and report everything that was done.
 *
 * Missing-value policy (`options.missing`):
 * - `"impute"` (default): a missing numeric cell becomes the training mean of its column (0 after
 *   standardisation) and the column gets an indicator feature `name:missing` (1 where missing) if
 *   any used row misses it; a missing categorical cell encodes as all zeros, like an unseen
 *   category. No row is dropped for a missing feature.
 * - `"drop"`: rows with any missing feature are dropped before splitting; each is listed in
 *   `report.dropped` with the columns it misses.
 *
 * A row whose target is missing cannot be used under either policy; it is dropped and listed.
 *
 * A feature column without any value in the training rows (under `"drop"`: in the rows with a
 * target, which would otherwise all be dropped) is left out, with role `"empty"` in
 * `report.columns`, as scikit-learn's `SimpleImputer` drops such columns: it has nothing to fit.
 *
 * Standardisation uses the training mean and population standard deviation (ddof 0, as
 * scikit-learn's `StandardScaler`), 1 for a column that is constant up to round-off: one whose
 * training values are all equal (their mean may round off them, leaving a deviation of about
 * 1e-17 for a column of 0.1) or spread over a few dozen units in the last place, the rule of the
 * surrogates' `standardizeTargets` (`lib/gp/standardize.ts`). Dividing by such a deviation would
 * turn a held-out value that differs from the constant into a score near 1e15. The mean is the
 * plain sum divided by the count whenever that sum is finite; for a column whose sums overflow
 * (values beyond about 1e154, or a sum beyond the float64 limit) mean and deviation are taken on
 * the values times an exact power of two and mapped back (`mean` of `lib/stats`,
 * `standardizeTargets`), so such a column is standardised like any other.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import { DataError } from "./errors.ts";
import { parseOrThrow } from "../validate.ts";
import { mean as meanOf, standardScore } from "../stats/mod.ts";
import { standardizeTargets } from "../gp/standardize.ts";
import {
  DATA_SPLIT_DEFAULTS,
  shuffledSplit,
  type SplitFractions,
  splitFractionsSchema,
  type SplitIndices,
  stratifiedSplit,
} from "./split.ts";
import { labelNumber, type Table, type TableColumnType } from "./table.ts";
import { classCountIssue, inferTaskType, type TaskType } from "./task_type.ts";

export type { TaskType } from "./task_type.ts";

/**
 * Defaults of {@linkcode prepareDataset}: `seed` 0, `split` 60/20/20, `missing` `"impute"`,
 * `standardize` true.
 *
 * @example
 * ```ts
 * import { PREPARE_DEFAULTS } from "./prepare.ts";
 * console.log(PREPARE_DEFAULTS.missing); // "impute"
 * ```
 */
export const PREPARE_DEFAULTS: {
  readonly seed: number;
  readonly missing: "impute" | "drop";
  readonly standardize: boolean;
} = Object.freeze({ seed: 0, missing: "impute", standardize: true });

/** Options of {@linkcode prepareDataset} (defaults in {@linkcode PREPARE_DEFAULTS}). */
export interface PrepareOptions {
  /** Target column, by name or 0-based index. */
  target: string | number;
  /** Task; inferred from the target by {@linkcode inferTaskType} when absent. */
  task?: TaskType;
  /**
   * Feature columns, each once and none of them in `exclude`; by default every column except the
   * target and `exclude`.
   */
  features?: readonly string[];
  /** Columns to leave out (identifiers, free text, leaks of the target). */
  exclude?: readonly string[];
  /** Numeric-coded columns to treat as categorical (codes, identifiers of groups). */
  categorical?: readonly string[];
  /** Seed of the split. */
  seed?: number;
  /** Split fractions (default 60/20/20). */
  split?: SplitFractions;
  /** Missing-value policy (see the module documentation). */
  missing?: "impute" | "drop";
  /** Standardise numeric features with training mean and standard deviation. */
  standardize?: boolean;
  /** Label for reports and errors (a file name). */
  source?: string;
}

const prepareOptionsSchema = z.object({
  target: z.union([z.string().min(1), z.number().int().min(0)]),
  task: z.enum(["classification", "regression"]).optional(),
  features: z.array(z.string().min(1)).min(1).optional(),
  exclude: z.array(z.string().min(1)).optional(),
  categorical: z.array(z.string().min(1)).optional(),
  seed: z.number().int().optional(),
  split: splitFractionsSchema.optional(),
  missing: z.enum(["impute", "drop"]).optional(),
  standardize: z.boolean().optional(),
  source: z.string().min(1).optional(),
}).strict();

/** Fitted encoding of one numeric feature column. */
export interface NumericEncoding {
  /** Column name. */
  name: string;
  /** Training mean of the observed values (also the imputed value). */
  mean: number;
  /**
   * Training standard deviation (population, ddof 0); 1 when the column is constant up to
   * round-off (see the module documentation).
   */
  std: number;
  /** Whether the column has a `name:missing` indicator feature. */
  indicator: boolean;
}

/** Fitted encoding of one categorical feature column. */
export interface CategoricalEncoding {
  /** Column name. */
  name: string;
  /** Categories seen in training rows, sorted; one one-hot feature each. */
  categories: string[];
}

/** Everything needed to encode new rows exactly like the training rows. */
export interface FeatureTransform {
  /** Feature columns in encoding order, each numeric or categorical. */
  columns:
    ({ kind: "numeric" } & NumericEncoding | { kind: "categorical" } & CategoricalEncoding)[];
  /** Whether numeric features are standardised. */
  standardize: boolean;
  /** Names of the encoded features, in matrix column order. */
  featureNames: string[];
}

/** One part of a prepared dataset. */
export interface DatasetSplit {
  /** Feature matrix, row-major, `size × numFeatures`. */
  x: Float64Array;
  /** Targets: class index for classification, value for regression. */
  y: Float64Array;
  /** Row numbers in the source table. */
  rows: Int32Array;
  /** Number of rows. */
  size: number;
}

/** One column's role and missing-value count in a {@linkcode PreparationReport}. */
export interface PreparedColumn {
  /** Column name. */
  name: string;
  /** Type as used. */
  type: TableColumnType;
  /**
   * Role in the prepared dataset: `"ignored"` for a column not chosen as a feature, `"empty"` for
   * a feature column left out for having no value in the training rows (see the module
   * documentation).
   */
  role: "feature" | "target" | "ignored" | "empty";
  /** Missing cells over all table rows. */
  missing: number;
}

/** What preparation did: types, missing values, dropped rows and the policy used. */
export interface PreparationReport {
  /** Source label. */
  source: string;
  /** Rows in the table. */
  rows: number;
  /** Rows used (table rows minus dropped rows). */
  used: number;
  /** Every column of the table with its type, role and missing count. */
  columns: PreparedColumn[];
  /** Every dropped row (table row number) with the reason. */
  dropped: { row: number; reason: string }[];
  /** The missing-value policy applied. */
  missingPolicy: "impute" | "drop";
  /**
   * Per feature column (not the `"empty"` ones): cells in used rows filled by the policy (mean or
   * all-zero one-hot).
   */
  imputed: Record<string, number>;
}

/** Model-ready arrays with the fitted transform and the report. */
export interface PreparedDataset {
  /** Classification or regression. */
  task: TaskType;
  /** Target column name. */
  target: string;
  /** Encoded feature names (matrix columns). */
  featureNames: string[];
  /** Number of encoded features. */
  numFeatures: number;
  /** Class labels in index order (empty for regression). */
  classLabels: string[];
  /** Training part. */
  train: DatasetSplit;
  /** Validation part. */
  validation: DatasetSplit;
  /** Test part. */
  test: DatasetSplit;
  /** The transform fitted on the training rows. */
  transform: FeatureTransform;
  /** What was done. */
  report: PreparationReport;
}

type Cell = number | string | null;

/**
 * Prepares a table for learning (see the module documentation for the missing-value policy).
 *
 * @throws {DataError} naming the column when the target or a feature column does not exist,
 * `features` lists a column twice or one that `exclude` lists too, a regression target is not
 * numeric, a standardised value is beyond the float64 range, or a classification target has fewer
 * than 2 classes among the rows used ({@linkcode classCountIssue}, the rule `extractMetaFeatures`
 * applies too); a `DataError` naming them when no feature column is left (none chosen, or none
 * with a value in the training rows); `TypeError` naming the field for bad options.
 * @example
 * ```ts
 * import { tableFromCsv } from "./read.ts";
 * import { prepareDataset } from "./prepare.ts";
 * const csv = "x,colour,label\n" +
 *   Array.from({ length: 20 }, (_, i) => `${i},${i % 3 ? "red" : "blue"},${i % 2 ? "a" : "b"}`)
 *     .join("\n");
 * const { table } = tableFromCsv(csv);
 * const data = prepareDataset(table, { target: "label", seed: 1 });
 * // data.featureNames = ["x", "colour=blue", "colour=red"], data.classLabels = ["a", "b"]
 * ```
 */
export function prepareDataset(table: Table, options: PrepareOptions): PreparedDataset {
  assertTable(table);
  const opts = parseOrThrow(prepareOptionsSchema, options, "options");
  const source = opts.source ?? "<table>";
  const names = table.columnNames();
  const target = resolveTarget(opts.target, names, source);
  for (
    const [field, list] of [
      ["features", opts.features],
      ["exclude", opts.exclude],
      ["categorical", opts.categorical],
    ] as const
  ) {
    for (const name of list ?? []) {
      if (!names.includes(name)) {
        throw new DataError(`options.${field} names a column not in the table`, {
          source,
          column: name,
        });
      }
      if (name === target && field === "features") {
        throw new DataError("options.features contains the target column", {
          source,
          column: name,
        });
      }
    }
  }
  const excluded = new Set(opts.exclude ?? []);
  const listed = new Set<string>();
  for (const name of opts.features ?? []) {
    if (listed.has(name)) {
      throw new DataError("options.features lists the column twice", { source, column: name });
    }
    if (excluded.has(name)) {
      throw new DataError("options.features and options.exclude both list the column", {
        source,
        column: name,
      });
    }
    listed.add(name);
  }
  const features = opts.features ?? names.filter((n) => n !== target && !excluded.has(n));
  if (features.length === 0) throw new DataError("no feature columns left", { source });
  const forcedCategorical = new Set(opts.categorical ?? []);

  const columns = new Map<string, { type: TableColumnType; cells: Cell[] }>();
  for (const name of names) columns.set(name, readColumn(table, name, forcedCategorical.has(name)));
  const rowCount = table.numRows();
  const task: TaskType = opts.task ?? inferTaskType(columns.get(target)!.cells);
  if (task === "regression" && columns.get(target)!.type !== "numeric") {
    throw new DataError("regression target must be numeric, but the column is categorical", {
      source,
      column: target,
    });
  }

  const missingPolicy = opts.missing ?? PREPARE_DEFAULTS.missing;
  const targetCells = columns.get(target)!.cells;
  // Feature columns with no value to fit on are left out (role "empty"); under the drop policy
  // that is decided on the rows with a target, since such a column would drop them all.
  const empty = new Set<string>();
  const leaveOutEmpty = (rows: ArrayLike<number>) => {
    for (const f of features) {
      const cells = columns.get(f)!.cells;
      let found = false;
      for (let i = 0; i < rows.length && !found; i++) found = cells[rows[i]] !== null;
      if (!found) empty.add(f);
    }
  };
  if (missingPolicy === "drop") {
    leaveOutEmpty(
      Array.from({ length: rowCount }, (_, r) => r).filter((r) => targetCells[r] !== null),
    );
  }
  const dropped: { row: number; reason: string }[] = [];
  const used: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    if (targetCells[r] === null) {
      dropped.push({ row: r, reason: `missing target "${target}"` });
      continue;
    }
    if (missingPolicy === "drop") {
      const absent = features.filter((f) => !empty.has(f) && columns.get(f)!.cells[r] === null);
      if (absent.length > 0) {
        dropped.push({ row: r, reason: `missing ${absent.map((a) => `"${a}"`).join(", ")}` });
        continue;
      }
    }
    used.push(r);
  }
  if (used.length < 2) {
    throw new DataError(
      `only ${used.length} usable row(s) after dropping ${dropped.length}; need at least 2`,
      { source },
    );
  }

  let classLabels: string[] = [];
  const yUsed = new Float64Array(used.length);
  if (task === "classification") {
    const distinct = [...new Set(used.map((r) => targetCells[r]))] as (string | number)[];
    distinct.sort((a, b) =>
      typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : 1
    );
    classLabels = distinct.map(String);
    const issue = classCountIssue(classLabels);
    if (issue !== undefined) throw new DataError(`target ${issue}`, { source, column: target });
    const index = new Map(distinct.map((label, i) => [label, i]));
    used.forEach((r, i) => yUsed[i] = index.get(targetCells[r] as string | number)!);
  } else {
    used.forEach((r, i) => yUsed[i] = targetCells[r] as number);
  }

  const rng = new Rng(opts.seed ?? PREPARE_DEFAULTS.seed);
  const fractions = opts.split ?? DATA_SPLIT_DEFAULTS.fractions;
  const positions: SplitIndices = task === "classification"
    ? stratifiedSplit(yUsed, fractions, rng)
    : shuffledSplit(used.length, fractions, rng);
  const toRows = (p: Int32Array) => Int32Array.from(p, (i) => used[i]);
  const trainRows = toRows(positions.train);
  leaveOutEmpty(trainRows);
  if (empty.size === features.length) {
    throw new DataError(
      `no feature columns left: no value in the training rows for ${
        features.map((f) => JSON.stringify(f)).join(", ")
      }`,
      { source },
    );
  }
  const kept = features.filter((f) => !empty.has(f));

  const standardize = opts.standardize ?? PREPARE_DEFAULTS.standardize;
  const featureColumns = kept.map((name) => ({ name, ...columns.get(name)! }));
  const transform = fitTransform(featureColumns, trainRows, used, standardize);
  const part = (p: Int32Array): DatasetSplit => {
    const rows = toRows(p);
    return {
      x: encode(transform, featureColumns, rows, source),
      y: Float64Array.from(p, (i) => yUsed[i]),
      rows,
      size: rows.length,
    };
  };

  // fromEntries, not assignment: a column may be named "__proto__".
  const imputed: Record<string, number> = Object.fromEntries(kept.map((f) => {
    const cells = columns.get(f)!.cells;
    return [f, used.reduce((count, r) => count + (cells[r] === null ? 1 : 0), 0)];
  }));
  const featureSet = new Set(kept);
  return {
    task,
    target,
    featureNames: transform.featureNames,
    numFeatures: transform.featureNames.length,
    classLabels,
    train: part(positions.train),
    validation: part(positions.validation),
    test: part(positions.test),
    transform,
    report: {
      source,
      rows: rowCount,
      used: used.length,
      columns: names.map((name) => {
        const column = columns.get(name)!;
        return {
          name,
          type: column.type,
          role: name === target
            ? "target"
            : featureSet.has(name)
            ? "feature"
            : empty.has(name)
            ? "empty"
            : "ignored",
          missing: column.cells.reduce((c: number, v) => c + (v === null ? 1 : 0), 0),
        };
      }),
      dropped,
      missingPolicy,
      imputed,
    },
  };
}

/**
 * Encodes rows of a table with a transform fitted by {@linkcode prepareDataset} (for new data of
 * the same schema). Missing numeric cells get the training mean; missing or unseen categories
 * encode as all zeros. In a column fitted as categorical, text matches a category exactly, and a
 * number (a new file whose codes all look like numbers is read as numeric: `007` as 7) is the
 * category whose text reads as that number (`"007"`), or unseen when none does.
 *
 * @param rows Table row numbers to encode; all rows by default.
 * @throws {DataError} naming the column when a column of the transform is absent, a numeric
 * column holds text, a number in a categorical column reads as more than one fitted category
 * (`"7"` and `"007"`), or a standardised value is beyond the float64 range (a value far outside
 * the training values of a column with a tiny standard deviation).
 * @example
 * ```ts
 * import { tableFromCsv } from "./read.ts";
 * import { encodeFeatures, prepareDataset } from "./prepare.ts";
 * const rows = Array.from({ length: 10 }, (_, i) => `${i},${i % 2}`).join("\n");
 * const data = prepareDataset(tableFromCsv(`x,y\n${rows}`).table, { target: "y" });
 * const x = encodeFeatures(data.transform, tableFromCsv("x,y\n4.5,1").table);
 * ```
 */
export function encodeFeatures(
  transform: FeatureTransform,
  table: Table,
  rows?: ArrayLike<number>,
): Float64Array {
  assertTable(table);
  if (!transform || !Array.isArray(transform.columns) || !Array.isArray(transform.featureNames)) {
    throw new TypeError("transform: must be the transform of a PreparedDataset");
  }
  const names = table.columnNames();
  const columns = transform.columns.map((spec) => {
    if (!names.includes(spec.name)) {
      throw new DataError("column of the transform is missing from the table", {
        column: spec.name,
      });
    }
    if (spec.kind === "categorical") {
      return { name: spec.name, cells: categoryCells(spec, table.array(spec.name)) };
    }
    const column = readColumn(table, spec.name, false);
    if (column.type !== "numeric") {
      throw new DataError("column must be numeric, as when the transform was fitted", {
        column: spec.name,
      });
    }
    return { name: spec.name, ...column };
  });
  const n = table.numRows();
  const selected = rows === undefined ? Int32Array.from({ length: n }, (_, i) => i) : rows;
  for (let i = 0; i < selected.length; i++) {
    if (!Number.isInteger(selected[i]) || selected[i] < 0 || selected[i] >= n) {
      throw new RangeError(`rows[${i}]: must be a row number in [0, ${n}), got ${selected[i]}`);
    }
  }
  return encode(transform, columns, selected);
}

function resolveTarget(target: string | number, names: string[], source: string): string {
  if (typeof target === "number") {
    if (target >= names.length) {
      throw new DataError(
        `target column index ${target} is out of range; the table has ${names.length} columns`,
        { source, column: target + 1 },
      );
    }
    return names[target];
  }
  if (!names.includes(target)) {
    throw new DataError(`target column not found; columns are ${names.join(", ")}`, {
      source,
      column: target,
    });
  }
  return target;
}

function readColumn(
  table: Table,
  name: string,
  categorical: boolean,
): { type: TableColumnType; cells: Cell[] } {
  const raw = table.array(name) as ArrayLike<unknown>;
  const cells: Cell[] = new Array(raw.length);
  let numeric = !categorical;
  for (let r = 0; r < raw.length; r++) {
    const v = raw[r];
    if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))) {
      cells[r] = null;
    } else if (typeof v === "number") {
      cells[r] = v;
    } else {
      cells[r] = String(v);
      numeric = false;
    }
  }
  if (!numeric) {
    for (let r = 0; r < cells.length; r++) if (cells[r] !== null) cells[r] = String(cells[r]);
  }
  return { type: numeric ? "numeric" : "categorical", cells };
}

/**
 * The cells of a column encoded by a fitted categorical encoding: text as it is, a number as the
 * fitted category whose text reads as that number (its text in the new file is unknown: `007`
 * and `7` both read as 7), missing as null.
 */
function categoryCells(spec: CategoricalEncoding, raw: ArrayLike<unknown>): Cell[] {
  let byNumber: Map<number, string[]> | undefined;
  const cells: Cell[] = new Array(raw.length);
  for (let r = 0; r < raw.length; r++) {
    const v = raw[r];
    if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))) {
      cells[r] = null;
    } else if (typeof v === "number") {
      if (byNumber === undefined) {
        byNumber = new Map();
        for (const category of spec.categories) {
          const value = labelNumber(category);
          if (value !== undefined) byNumber.set(value, [...byNumber.get(value) ?? [], category]);
        }
      }
      const matches = byNumber.get(v) ?? [];
      if (matches.length > 1) {
        throw new DataError(
          `value ${v} reads as more than one fitted category (${
            matches.map((m) => JSON.stringify(m)).join(", ")
          })`,
          { column: spec.name },
        );
      }
      cells[r] = matches[0] ?? String(v);
    } else {
      cells[r] = String(v);
    }
  }
  return cells;
}

function fitTransform(
  columns: { name: string; type: TableColumnType; cells: Cell[] }[],
  trainRows: Int32Array,
  usedRows: number[],
  standardize: boolean,
): FeatureTransform {
  const specs: FeatureTransform["columns"] = [];
  const featureNames: string[] = [];
  for (const { name, type, cells } of columns) {
    if (type === "numeric") {
      const values: number[] = [];
      for (const r of trainRows) if (cells[r] !== null) values.push(cells[r] as number);
      // The plain sum when it is finite; lib/stats rescales values whose sum overflows by a power
      // of two, and standardizeTargets always does, so large columns keep their true moments.
      // Both are finite for finite values (the mean lies within them, the population standard
      // deviation is at most half their range); a score may not be (see standardScore).
      const mean = values.length > 0 ? meanOf(values) : 0;
      // Constant up to round-off (all equal, or a spread of a few units in the last place): 1.
      const std = values.length === 0 ? 1 : standardizeTargets(values).std;
      const indicator = usedRows.some((r) => cells[r] === null);
      specs.push({ kind: "numeric", name, mean, std, indicator });
      featureNames.push(name);
      if (indicator) featureNames.push(`${name}:missing`);
    } else {
      const seen = new Set<string>();
      for (const r of trainRows) if (cells[r] !== null) seen.add(cells[r] as string);
      const categories = [...seen].sort();
      specs.push({ kind: "categorical", name, categories });
      for (const c of categories) featureNames.push(`${name}=${c}`);
    }
  }
  return { columns: specs, standardize, featureNames };
}

function encode(
  transform: FeatureTransform,
  columns: { cells: Cell[] }[],
  rows: ArrayLike<number>,
  source?: string,
): Float64Array {
  const width = transform.featureNames.length;
  const x = new Float64Array(rows.length * width);
  let offset = 0;
  transform.columns.forEach((spec, j) => {
    const cells = columns[j].cells;
    if (spec.kind === "numeric") {
      for (let i = 0; i < rows.length; i++) {
        const v = cells[rows[i]];
        const value = v === null ? spec.mean : v as number;
        x[i * width + offset] = transform.standardize
          ? encodedScore(value, spec, rows[i], source)
          : value;
        if (spec.indicator) x[i * width + offset + 1] = v === null ? 1 : 0;
      }
      offset += spec.indicator ? 2 : 1;
    } else {
      const index = new Map(spec.categories.map((c, k) => [c, k]));
      for (let i = 0; i < rows.length; i++) {
        const k = index.get(cells[rows[i]] as string);
        if (k !== undefined) x[i * width + offset + k] = 1;
      }
      offset += spec.categories.length;
    }
  });
  return x;
}

/**
 * `(value − mean) / std` ({@linkcode standardScore}, overflow-safe); a score that is itself beyond
 * the float64 range (a value far outside the training values of a column with a tiny deviation) is
 * a `DataError` naming the column.
 */
function encodedScore(
  value: number,
  spec: NumericEncoding,
  row: number,
  source: string | undefined,
): number {
  const z = standardScore(value, spec.mean, spec.std);
  if (Number.isFinite(z)) return z;
  throw new DataError(
    `table row ${row}: value ${value} standardised with the training mean ${spec.mean} and ` +
      `standard deviation ${spec.std} is beyond the float64 range`,
    { source, column: spec.name },
  );
}

function assertTable(table: Table): void {
  if (
    !table || typeof table.columnNames !== "function" || typeof table.array !== "function" ||
    typeof table.numRows !== "function"
  ) {
    throw new TypeError("table: must be an arquero table");
  }
}
