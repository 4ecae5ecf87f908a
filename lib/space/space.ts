/**
 * Search spaces: named parameters, their encoding in the unit cube, validation, sampling and JSON.
 * The encoding of each parameter kind is documented in `codec.ts` (floats linear or on a log
 * scale, integers on equal-width intervals, categoricals one-hot, fixed values without a column).
 * Conditional parameters (a `when` field, `conditions.ts`) are absent from configurations where
 * they are inactive, and their columns hold `INACTIVE_VALUE` (0.5) in encoded points.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import {
  canonicalJSON,
  formatIssues,
  joinIssueLines,
  parseOrThrow,
  positiveIntSchema,
} from "../validate.ts";
import type { Rng } from "../random/rng.ts";
import { codecOf, type ColumnType, type ParamCodec } from "./codec.ts";
import {
  activity,
  compileConditions,
  type Condition,
  type ConditionGraph,
  describeConditions,
  INACTIVE_VALUE,
} from "./conditions.ts";
import { DESIGN_DEFAULTS, initialDesign, type SampleMethod } from "./design.ts";
import {
  type CategoricalParam,
  type Choice,
  type FixedParam,
  float,
  type FloatParam,
  gridSteps,
  type ParamDefinition,
  paramDefinitionSchema,
  STORED_GRID_TOLERANCE,
} from "./params.ts";

/** A space definition: parameter name → parameter definition. */
export type SpaceDefinition = { readonly [name: string]: ParamDefinition };

/** The value type of one parameter definition. */
export type ValueOf<P extends ParamDefinition> = P extends CategoricalParam<infer C> ? C
  : P extends FixedParam<infer V> ? V
  : number;

/** The names of the conditional parameters (those with a `when` field) of a definition. */
export type ConditionalKeys<D extends SpaceDefinition> = {
  [K in keyof D]: D[K] extends { readonly when: Condition } ? K : never;
}[keyof D];

/**
 * The configuration type of a space definition; conditional parameters (a `when` field, e.g.
 * from the `when` helper) are optional, since they are absent where inactive.
 */
export type ParamsOfDefinition<D extends SpaceDefinition> = [ConditionalKeys<D>] extends [never]
  ? { -readonly [K in keyof D]: ValueOf<D[K]> }
  :
    & { -readonly [K in Exclude<keyof D, ConditionalKeys<D>>]: ValueOf<D[K]> }
    & { -readonly [K in ConditionalKeys<D>]?: ValueOf<D[K]> };

/**
 * The configuration type of a space: `ParamsOf<typeof space>`. Conditional parameters are
 * optional (`momentum?: number`).
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float, type ParamsOf } from "./mod.ts";
 * const space = defineSpace({ lr: float(1e-4, 1, { log: true }), act: categorical(["relu", "tanh"]) });
 * const p: ParamsOf<typeof space> = { lr: 0.01, act: "tanh" };
 * ```
 */
export type ParamsOf<S> = S extends Space<infer D> ? ParamsOfDefinition<D> : never;

export type { SampleMethod } from "./design.ts";

/**
 * Defaults of the space module: `sampleMethod` is the initial design's, scrambled Sobol
 * (`DESIGN_DEFAULTS.method`), so that `space.sample` and a study's initial design agree; like the
 * design, `space.sample` draws distinct configurations unless given `{ distinct: false }` (see
 * {@linkcode Space.sampleEncoded}).
 *
 * @example
 * ```ts
 * import { SPACE_DEFAULTS } from "./mod.ts";
 * console.log(SPACE_DEFAULTS.sampleMethod); // "sobol"
 * ```
 */
export const SPACE_DEFAULTS: { readonly sampleMethod: SampleMethod } = Object.freeze({
  sampleMethod: DESIGN_DEFAULTS.method,
});

/** One parameter of a space and the encoded columns it owns. */
export interface EncodedParam {
  /** Parameter name. */
  readonly name: string;
  /** Its checked definition. */
  readonly definition: ParamDefinition;
  /** Column type ("integer" covers ints and floats with a step), or "fixed" (no column). */
  readonly type: ColumnType | "fixed";
  /** Indices of its columns in the encoded vector (one-hot block for a categorical). */
  readonly columns: readonly number[];
  /** Number of values of an "integer" (grid points) or "categorical" (choices) parameter. */
  readonly levels?: number;
  /** Whether the parameter has a condition (a `when` field): then it may be inactive. */
  readonly conditional: boolean;
}

/** The JSON form of a space (parameters in order, so names that look like integers keep it). */
export interface SpaceJSON {
  /** Format version. */
  readonly version: 1;
  /** Parameters in order. */
  readonly params: readonly ({ readonly name: string } & ParamDefinition)[];
}

/**
 * How {@linkcode Space.validate} and {@linkcode Space.encode} read a configuration that a storage
 * holds (the README's "Studies that survive"). `storedGrid` accepts, besides the values new input
 * may take, a value of a grid parameter (a linear int, or a float with a step) inside its bounds
 * that the on-grid check of earlier metahpo versions accepted (`STORED_GRID_TOLERANCE`, e.g.
 * `0.3333333333` on `float(0, 1, { step: 1 / 3 })`): `"keep"` returns it as given (a resumed
 * study's trials and candidates stay as stored), `"snap"` returns the grid point it encodes to;
 * either way it encodes to that grid point. Without it, values are checked as new input is.
 *
 * @example
 * ```ts
 * import { defineSpace, float } from "./mod.ts";
 * const space = defineSpace({ r: float(0, 1, { step: 1 / 3 }) });
 * space.contains({ r: 0.3333333333 }); // false: new input must be on the grid
 * space.validate({ r: 0.3333333333 }, { storedGrid: "keep" }).r; // 0.3333333333
 * space.validate({ r: 0.3333333333 }, { storedGrid: "snap" }).r; // 0.3333333333333333
 * ```
 */
export interface SpaceReadOptions {
  /** Accept the grid values that earlier versions accepted, kept as given or snapped. */
  storedGrid?: "keep" | "snap";
}

/**
 * The stored-grid check of a grid parameter (see {@linkcode SpaceReadOptions}): a number inside
 * the bounds (an integer for an int) whose index (x − low)/step is within
 * `STORED_GRID_TOLERANCE · max(1, levels)` of an integer; undefined for other parameters.
 */
function storedGridCheck(
  definition: ParamDefinition,
  codec: ParamCodec,
): ((x: unknown) => boolean) | undefined {
  if (definition.kind !== "float" && definition.kind !== "int") return undefined;
  if (codec.type !== "integer" || (definition.kind === "int" && definition.log)) return undefined;
  if (definition.kind === "float" && definition.step === undefined) return undefined;
  const { low, high } = definition;
  const step = definition.step ?? 1;
  const slack = STORED_GRID_TOLERANCE * Math.max(1, codec.levels ?? 1);
  return (x) => {
    if (typeof x !== "number" || !(x >= low && x <= high)) return false;
    if (definition.kind === "int" && !Number.isInteger(x)) return false;
    const k = gridSteps(low, x, step);
    return Math.abs(k - Math.round(k)) <= slack;
  };
}

/**
 * The `storedGrid` of {@linkcode SpaceReadOptions} given to `method`, checked (an object with no
 * other key; `"keep"`, `"snap"` or absent): a `TypeError` naming the field otherwise. Without a
 * schema, as `validate` runs for every configuration.
 */
function storedGridOption(
  options: SpaceReadOptions | undefined,
  method: string,
): "keep" | "snap" | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${method}.options: expected an object`);
  }
  for (const key of Object.keys(options)) {
    if (key !== "storedGrid") throw new TypeError(`${method}.options.${key}: unknown key`);
  }
  const { storedGrid } = options;
  if (storedGrid !== undefined && storedGrid !== "keep" && storedGrid !== "snap") {
    throw new TypeError(
      `${method}.options.storedGrid: must be "keep" or "snap", got ${JSON.stringify(storedGrid)}`,
    );
  }
  return storedGrid;
}

const sampleOptionsSchema = z.strictObject({ distinct: z.boolean().optional() });

/** A parameter name or path key written `.key` in messages; any other is written `["key"]`. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const plainKey = (key: PropertyKey) => typeof key !== "string" || IDENTIFIER.test(key);

function renderPath(path: readonly PropertyKey[]): string {
  return path.map((key) =>
    typeof key === "number"
      ? `[${key}]`
      : plainKey(key)
      ? `.${String(key)}`
      : `[${JSON.stringify(String(key))}]`
  ).join("");
}

/**
 * `formatIssues`, with the keys that are not plain identifiers (a parameter named `a.b`, `2` or
 * `learning rate`) written `params["a.b"]`, so that a path names one field unambiguously; the
 * messages of spaces with plain names are `formatIssues`'s.
 */
function formatSpaceIssues(label: string, issues: readonly z.core.$ZodIssue[]): string {
  const plain = issues.every((issue) =>
    issue.path.every(plainKey) && (issue.code !== "unrecognized_keys" || issue.keys.every(plainKey))
  );
  if (plain) return formatIssues(label, issues);
  const lines = issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${label}${renderPath([...issue.path, key])}: unknown key`);
    }
    let cut = 0;
    issue.path.forEach((key, i) => {
      if (!plainKey(key)) cut = i + 1;
    });
    return [
      formatIssues(label + renderPath(issue.path.slice(0, cut)), [{
        ...issue,
        path: issue.path.slice(cut),
      }]),
    ];
  });
  return joinIssueLines(lines);
}

/**
 * Checks a space definition entry by entry. Names are taken as own keys, so that any string
 * (`__proto__` and `constructor` included) names a parameter, and kept in declaration order.
 * `where` gives the path of a parameter in the messages (default: its name).
 */
function checkDefinition(
  definition: unknown,
  label: string,
  where: (name: string) => PropertyKey[] = (name) => [name],
): [string, ParamDefinition][] {
  if (definition === null || typeof definition !== "object" || Array.isArray(definition)) {
    throw new TypeError(`${label}: must be an object of parameter definitions`);
  }
  const issues: z.core.$ZodIssue[] = [];
  const entries: [string, ParamDefinition][] = [];
  for (const name of Object.keys(definition)) {
    if (name === "") {
      issues.push({
        code: "custom",
        path: where(name),
        message: "names must not be empty",
        input: name,
      });
      continue;
    }
    const result = paramDefinitionSchema.safeParse((definition as Record<string, unknown>)[name]);
    if (result.success) entries.push([name, result.data as ParamDefinition]);
    else {issues.push(
        ...result.error.issues.map((i) => ({ ...i, path: [...where(name), ...i.path] })),
      );}
  }
  if (issues.length > 0) throw new TypeError(formatSpaceIssues(label, issues));
  if (entries.length === 0) throw new TypeError(`${label}: must define at least one parameter`);
  const conditions = compileConditions(entries);
  if (conditions.issues.length > 0) {
    throw new TypeError(
      formatSpaceIssues(
        label,
        conditions.issues.map((i) => ({
          ...i,
          path: [...where(String(i.path[0])), ...i.path.slice(1)],
        })),
      ),
    );
  }
  return entries;
}

/**
 * A search space built by {@linkcode defineSpace}. Encoded points are `Float64Array`s of length
 * {@linkcode Space.dim} in [0, 1]^dim; configurations are plain objects typed {@linkcode ParamsOf}.
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, float, int, Rng } from "./mod.ts";
 * const space = defineSpace({
 *   lr: float(1e-5, 1e-1, { log: true }),
 *   units: int(8, 256),
 *   act: categorical(["relu", "tanh"]),
 * });
 * const u = space.encode({ lr: 1e-3, units: 64, act: "tanh" }); // length space.dim = 4
 * const p = space.decode(u); // { lr: 0.001 (to rounding), units: 64, act: "tanh" }
 * const configs = space.sample(8, new Rng(0), "sobol");
 * ```
 */
export class Space<D extends SpaceDefinition = SpaceDefinition> {
  /**
   * Parameter names, in definition order. Typed as strings rather than the definition's keys, so
   * that a space of any definition is also a plain `Space` (where a surrogate or a proposer takes
   * one).
   */
  readonly names: readonly string[];
  /** Length of an encoded point. */
  readonly dim: number;
  /** Each parameter with its encoded columns. */
  readonly params: readonly EncodedParam[];
  /** The type of each encoded column. */
  readonly columnTypes: readonly ColumnType[];
  /** The checked definition. */
  readonly definition: D;
  /**
   * Whether some parameter has a condition (a `when` field): configurations then omit the
   * inactive parameters and {@linkcode Space.activeColumns} tells which columns are in use.
   */
  readonly conditional: boolean;
  #codecs: readonly ParamCodec[];
  #offsets: readonly number[];
  #fieldSchemas: readonly z.ZodType[];
  /** Per parameter: for a grid (a linear int, a float with a step), the stored-grid check. */
  #storedGrid: readonly (((x: unknown) => boolean) | undefined)[];
  #graph?: ConditionGraph;

  /** Use {@linkcode defineSpace}; the definition must already be checked. */
  private constructor(definition: D, order?: readonly string[]) {
    this.definition = definition;
    this.names = order ?? Object.keys(definition);
    const codecs = this.names.map((name) => codecOf(definition[name]));
    const offsets: number[] = [];
    const params: EncodedParam[] = [];
    const columnTypes: ColumnType[] = [];
    let offset = 0;
    this.names.forEach((name, i) => {
      const codec = codecs[i];
      offsets.push(offset);
      const columns = Array.from({ length: codec.size }, (_, j) => offset + j);
      params.push(Object.freeze({
        name,
        definition: definition[name],
        type: codec.type,
        columns: Object.freeze(columns),
        ...(codec.levels === undefined ? {} : { levels: codec.levels }),
        conditional: definition[name].when !== undefined,
      }));
      if (codec.type !== "fixed") {
        for (let j = 0; j < codec.size; j++) columnTypes.push(codec.type);
      }
      offset += codec.size;
    });
    this.dim = offset;
    this.params = Object.freeze(params);
    this.columnTypes = Object.freeze(columnTypes);
    this.#codecs = codecs;
    this.#offsets = offsets;
    this.#fieldSchemas = codecs.map((codec) => codec.schema);
    this.#storedGrid = this.names.map((name, i) => storedGridCheck(definition[name], codecs[i]));
    this.conditional = params.some((p) => p.conditional);
    if (this.conditional) {
      this.#graph = compileConditions(this.names.map((name) => [name, definition[name]])).graph;
    }
  }

  /** @internal Builds a space from an unchecked definition, naming bad fields `label.name.field`. */
  static fromDefinition<D extends SpaceDefinition>(definition: D, label: string): Space<D> {
    const checked = Object.fromEntries(checkDefinition(definition, label)) as D;
    return new Space(deepFreeze(checked));
  }

  /**
   * @internal Builds a space from checked (name, definition) pairs in the given order, which
   * an object cannot keep for names that look like integers (`"2"` sorts before `"b"`).
   */
  static fromEntries(
    entries: readonly (readonly [string, ParamDefinition])[],
    label: string,
    where?: (name: string) => PropertyKey[],
  ): Space {
    const checked = checkDefinition(Object.fromEntries(entries), label, where);
    return new Space(deepFreeze(Object.fromEntries(checked)), entries.map(([name]) => name));
  }

  /**
   * Checks a configuration and returns it typed; throws a `TypeError` naming every bad field
   * (`params.units: must be an integer`, `params.extra: unknown key`, missing keys, wrong types).
   * In a conditional space an active parameter must be present and an inactive one absent
   * (`params.momentum: inactive (requires optimizer = "sgd")`); the returned object holds the
   * active parameters only. `options` reads a configuration a storage holds
   * ({@linkcode SpaceReadOptions}).
   */
  validate(params: unknown, options?: SpaceReadOptions): ParamsOfDefinition<D> {
    const { value, issues } = this.#check(params, storedGridOption(options, "validate"));
    if (issues.length > 0) throw new TypeError(formatSpaceIssues("params", issues));
    return value as ParamsOfDefinition<D>;
  }

  /** Whether `params` is a valid configuration of this space. */
  contains(params: unknown): boolean {
    return this.#check(params).issues.length === 0;
  }

  /**
   * Checks a configuration field by field (own keys only, so that a parameter named `__proto__`
   * or `toString` is never read from the prototype) and builds a fresh object in name order.
   */
  #check(
    params: unknown,
    storedGrid?: "keep" | "snap",
  ): { value?: Record<string, Choice>; issues: z.core.$ZodIssue[] } {
    if (params === null || typeof params !== "object" || Array.isArray(params)) {
      return {
        issues: [{
          code: "custom",
          path: [],
          message: `must be an object, got ${
            params === null ? "null" : Array.isArray(params) ? "an array" : typeof params
          }`,
          input: params,
        }],
      };
    }
    const record = params as Record<string, unknown>;
    if (this.#graph !== undefined) {
      return this.#checkConditional(record, this.#graph, storedGrid);
    }
    const issues: z.core.$ZodIssue[] = [];
    const entries: [string, Choice][] = [];
    this.names.forEach((name, i) => {
      if (!Object.hasOwn(record, name) || record[name] === undefined) {
        issues.push({ code: "custom", path: [name], message: "missing", input: undefined });
        return;
      }
      const result = this.#checkField(i, record[name], storedGrid);
      if (result.issues === undefined) entries.push([name, result.value]);
      else issues.push(...result.issues.map((issue) => ({ ...issue, path: [name] })));
    });
    const known = new Set<string>(this.names);
    const unknown = Object.keys(record).filter((key) => !known.has(key));
    if (unknown.length > 0) {
      issues.push({
        code: "unrecognized_keys",
        path: [],
        keys: unknown,
        input: record,
        message: "unknown key",
      });
    }
    return { value: issues.length === 0 ? Object.fromEntries(entries) : undefined, issues };
  }

  /** {@linkcode Space.#check} with conditions: parents are read first, in topological order. */
  #checkConditional(
    record: Record<string, unknown>,
    graph: ConditionGraph,
    storedGrid?: "keep" | "snap",
  ): { value?: Record<string, Choice>; issues: z.core.$ZodIssue[] } {
    const perParam: z.core.$ZodIssue[][] = this.names.map(() => []);
    const values: Choice[] = new Array(this.names.length);
    const present = (name: string) => Object.hasOwn(record, name) && record[name] !== undefined;
    const active = activity(graph, (i) => {
      const name = this.names[i];
      if (!present(name)) {
        perParam[i].push({ code: "custom", path: [name], message: "missing", input: undefined });
        return undefined;
      }
      const result = this.#checkField(i, record[name], storedGrid);
      if (result.issues === undefined) return values[i] = result.value;
      perParam[i].push(...result.issues.map((issue) => ({ ...issue, path: [name] })));
      return undefined;
    });
    const entries: [string, Choice][] = [];
    this.names.forEach((name, i) => {
      if (active[i] === true && perParam[i].length === 0) entries.push([name, values[i]]);
      if (active[i] === false && present(name)) {
        perParam[i].push({
          code: "custom",
          path: [name],
          message: `inactive (requires ${describeConditions(graph, this.names, i)}); leave it out`,
          input: record[name],
        });
      }
    });
    const issues = perParam.flat();
    const known = new Set<string>(this.names);
    const unknown = Object.keys(record).filter((key) => !known.has(key));
    if (unknown.length > 0) {
      issues.push({
        code: "unrecognized_keys",
        path: [],
        keys: unknown,
        input: record,
        message: "unknown key",
      });
    }
    return { value: issues.length === 0 ? Object.fromEntries(entries) : undefined, issues };
  }

  /**
   * One field's value: checked by its schema, or, with `storedGrid`, by the stored-grid rule of
   * {@linkcode SpaceReadOptions} (then kept as given, or snapped to the grid point it encodes to).
   */
  #checkField(
    i: number,
    x: unknown,
    storedGrid?: "keep" | "snap",
  ): { value: Choice; issues?: undefined } | { value?: undefined; issues: z.core.$ZodIssue[] } {
    const result = this.#fieldSchemas[i].safeParse(x);
    if (result.success) return { value: x as Choice };
    if (storedGrid === undefined || !this.#storedGrid[i]?.(x)) {
      return { issues: result.error.issues };
    }
    if (storedGrid === "keep") return { value: x as Choice };
    const u = new Float64Array(1);
    this.#codecs[i].encode(x, u, 0);
    return { value: this.#codecs[i].decode(u, 0) };
  }

  /**
   * Which parameters are active at an encoded point: parents decoded first (`undefined` never
   * occurs, every point decodes).
   */
  #activeAt(u: ArrayLike<number>, graph: ConditionGraph): { active: boolean[]; values: Choice[] } {
    const values: Choice[] = new Array(this.names.length);
    const active = activity(graph, (i) => {
      values[i] = this.#codecs[i].decode(u, this.#offsets[i]);
      return values[i];
    }) as boolean[];
    return { active, values };
  }

  /** Writes the encoding of the active values, and {@linkcode INACTIVE_VALUE} elsewhere. */
  #encodeActive(
    active: readonly boolean[],
    values: readonly unknown[],
    out: Float64Array = new Float64Array(this.dim),
  ): Float64Array {
    this.names.forEach((_, i) => {
      if (active[i]) this.#codecs[i].encode(values[i], out, this.#offsets[i]);
      else {
        const offset = this.#offsets[i];
        out.fill(INACTIVE_VALUE, offset, offset + this.#codecs[i].size);
      }
    });
    return out;
  }

  /**
   * The encoded point of a configuration (validated first, with `options` as `validate` takes
   * them). The columns of inactive parameters hold {@linkcode INACTIVE_VALUE}.
   */
  encode(params: ParamsOfDefinition<D>, options?: SpaceReadOptions): Float64Array {
    storedGridOption(options, "encode");
    const valid = this.validate(params, options) as Record<string, unknown>;
    if (this.#graph !== undefined) {
      return this.#encodeActive(
        this.names.map((name) => Object.hasOwn(valid, name)),
        this.names.map((name) => valid[name]),
      );
    }
    const out = new Float64Array(this.dim);
    this.names.forEach((name, i) => this.#codecs[i].encode(valid[name], out, this.#offsets[i]));
    return out;
  }

  /**
   * The configuration of an encoded point. Numeric coordinates are clamped to [0, 1], integers
   * rounded on their intervals, categoricals take the argmax of their block (not clamped); any
   * finite point decodes.
   * Parameters inactive at `u` (their parents decode to other values) are left out, whatever
   * their columns hold.
   */
  decode(u: ArrayLike<number>): ParamsOfDefinition<D> {
    this.#checkPoint(u, "decode.u");
    if (this.#graph !== undefined) {
      const { active, values } = this.#activeAt(u, this.#graph);
      return Object.fromEntries(
        this.names.flatMap((name, i) => active[i] ? [[name, values[i]]] : []),
      ) as ParamsOfDefinition<D>;
    }
    return Object.fromEntries(
      this.names.map((name, i) => [name, this.#codecs[i].decode(u, this.#offsets[i])]),
    ) as ParamsOfDefinition<D>;
  }

  /**
   * The encoding of the configuration `u` decodes to, `encode(decode(u))` (for most parameters
   * the nearest valid point; a log-scaled int's value k sits at ln k, not at the middle of the
   * interval that decodes to it, as in Optuna). The columns of parameters inactive at `u` are set
   * to {@linkcode INACTIVE_VALUE}, so that two points that decode to the same configuration
   * project to the same (canonical) point. Idempotent up to rounding: a projected point decodes
   * to the configuration `u` decodes to, and projecting it again gives the same point, except
   * that encoding and decoding each round a real number: its coordinate may move by a few units
   * in the last place, and its value by a few units of rounding of the range (more than a few
   * units in the last place of the value on ranges near the largest doubles, or log ranges
   * spanning hundreds of orders of magnitude).
   *
   * @param u An encoded point (any finite coordinates).
   * @param out Where to write the projection, a `Float64Array` of length `dim`: `u` itself (each
   *   parameter's columns are read before they are written), or an array that does not overlap
   *   `u`; a new array when not given.
   * @returns The projection: `out` when given.
   * @example
   * ```ts
   * import { defineSpace, int } from "./mod.ts";
   * const space = defineSpace({ n: int(1, 5) });
   * const u = Float64Array.of(0.3);
   * space.project(u, u); // u now holds the encoding of n = 2
   * ```
   */
  project(u: ArrayLike<number>, out?: Float64Array): Float64Array {
    this.#checkPoint(u, "project.u");
    this.#checkOut(out, Float64Array, "project.out");
    if (this.#graph !== undefined) {
      const { active, values } = this.#activeAt(u, this.#graph);
      return this.#encodeActive(active, values, out);
    }
    out ??= new Float64Array(this.dim);
    this.names.forEach((_, i) => {
      const codec = this.#codecs[i];
      codec.encode(codec.decode(u, this.#offsets[i]), out, this.#offsets[i]);
    });
    return out;
  }

  /**
   * A mask of the encoded columns in use at `u`: 1 where the column's parameter is active (its
   * parents, decoded from `u`, satisfy its conditions), 0 where it is inactive. All ones in a
   * space without conditions.
   *
   * @param u An encoded point (any finite coordinates).
   * @param out Where to write the mask (every column is written), a `Uint8Array` of length
   *   `dim`; a new array when not given.
   * @returns The mask: `out` when given.
   * @example
   * ```ts
   * import { categorical, defineSpace, float, when } from "./mod.ts";
   * const space = defineSpace({
   *   opt: categorical(["sgd", "adam"]),
   *   momentum: when({ opt: "sgd" }, float(0, 0.99)),
   * });
   * space.activeColumns(space.encode({ opt: "adam" })); // Uint8Array [1, 1, 0]
   * space.activeColumns(space.encode({ opt: "sgd", momentum: 0.9 })); // Uint8Array [1, 1, 1]
   * ```
   */
  activeColumns(u: ArrayLike<number>, out?: Uint8Array): Uint8Array {
    this.#checkPoint(u, "activeColumns.u");
    this.#checkOut(out, Uint8Array, "activeColumns.out");
    const mask = out ?? new Uint8Array(this.dim);
    if (this.#graph === undefined) return mask.fill(1);
    const { active } = this.#activeAt(u, this.#graph);
    for (let i = 0; i < active.length; i++) {
      const offset = this.#offsets[i];
      mask.fill(active[i] ? 1 : 0, offset, offset + this.#codecs[i].size);
    }
    return mask;
  }

  /**
   * `n` encoded points drawn by `method` (default {@linkcode SPACE_DEFAULTS}.sampleMethod) in the
   * unit cube and projected onto the space, by `initialDesign` (the initial design of a study).
   * Sobol points are scrambled with `rng`.
   *
   * Distinct configurations (the default, as in a study's design): a point that repeats a
   * configuration already drawn is replaced by a further point of the sequence that gives a new
   * one, so the points are not independent draws wherever the space has few configurations. A
   * region of m configurations (a small discrete space, or a branch of a conditional space whose
   * active parameters are all discrete: `reg: "none"` without children is 1 configuration, a
   * `model: "knn"` branch with `k: int(1, 30)` is 30) receives at most m points however large its
   * share of the sequence, and the points beyond go to the rest of the space: in the example below
   * the knn branch, half of the space, gets 30 of 1000 points. A repeat is replaced by one of at
   * most 64 further points of the sequence; when none gives a new configuration it is kept, and so
   * are the repeats after it, so `n` beyond the number of configurations of a small discrete space
   * gives repeats (`sample(10, new Rng(0))` on a space of 4 configurations: 10 points, 4
   * distinct). Within a discrete space, a value that owns a wide cell (a log int's small values)
   * appears at most as often as there are configurations holding it, so its marginal flattens
   * toward uniform as `n` nears the number of configurations. That suits an initial design on a deterministic objective; for a random
   * baseline or a sample of the prior, pass `options.distinct: false`.
   *
   * `options.distinct: false` keeps every point as drawn: with `"uniform"`, independent draws (each
   * category and branch with its share, log scales log-uniform), as the random samplers of Optuna
   * and ConfigSpace draw; with `"sobol"` or `"lhs"`, the points of the sequence, projected.
   *
   * @throws {TypeError} naming the bad argument (`sample.options.distinkt: unknown key`).
   *
   * @example
   * ```ts
   * import { categorical, defineSpace, float, int, Rng, when } from "./mod.ts";
   * const space = defineSpace({
   *   model: categorical(["knn", "svm"]),
   *   k: when({ model: "knn" }, int(1, 30)),
   *   C: when({ model: "svm" }, float(1e-3, 1e3, { log: true })),
   * });
   * const design = space.sample(1000, new Rng(0), "uniform");
   * design.filter((p) => p.model === "knn").length; // 30: each k once, the other 970 are svm
   * const draws = space.sample(1000, new Rng(0), "uniform", { distinct: false });
   * draws.filter((p) => p.model === "knn").length; // about 500 (binomial)
   * ```
   */
  sampleEncoded(
    n: number,
    rng: Rng,
    method: SampleMethod = SPACE_DEFAULTS.sampleMethod,
    options: {
      /** Replace points that repeat a configuration (default true). */
      readonly distinct?: boolean;
    } = {},
  ): Float64Array[] {
    const { distinct } = parseOrThrow(sampleOptionsSchema, options, "sample.options");
    return initialDesign(
      this,
      n,
      rng,
      method,
      "sample",
      distinct === undefined ? {} : { distinct },
    );
  }

  /**
   * `n` configurations drawn by `method`, distinct by default; `{ distinct: false }` for
   * independent draws with `"uniform"` (see {@linkcode Space.sampleEncoded}).
   */
  sample(
    n: number,
    rng: Rng,
    method: SampleMethod = SPACE_DEFAULTS.sampleMethod,
    options: {
      /** Replace points that repeat a configuration (default true). */
      readonly distinct?: boolean;
    } = {},
  ): ParamsOfDefinition<D>[] {
    return this.sampleEncoded(n, rng, method, options).map((u) => this.decode(u));
  }

  /** The JSON form, read back by {@linkcode spaceFromJSON}. */
  toJSON(): SpaceJSON {
    return {
      version: 1,
      params: this.names.map((name) => ({ name, ...(this.definition[name] as ParamDefinition) })),
    };
  }

  /** Refuses an `out` array that is not a `type` of length `dim`. */
  #checkOut(
    out: unknown,
    type: Float64ArrayConstructor | Uint8ArrayConstructor,
    label: string,
  ): void {
    if (out !== undefined && !(out instanceof type && out.length === this.dim)) {
      throw new TypeError(`${label}: must be a ${type.name} of length ${this.dim}`);
    }
  }

  #checkPoint(u: ArrayLike<number>, label: string): void {
    if (u === null || typeof u !== "object" || typeof u.length !== "number") {
      throw new TypeError(`${label}: must be an array of ${this.dim} numbers`);
    }
    if (u.length !== this.dim) {
      throw new TypeError(`${label}: must have length ${this.dim}, got ${u.length}`);
    }
    for (let j = 0; j < this.dim; j++) {
      if (typeof u[j] !== "number" || !Number.isFinite(u[j])) {
        throw new TypeError(`${label}.${j}: must be a finite number, got ${u[j]}`);
      }
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Builds a search space; the configuration type is inferred from the definition. Throws a
 * `TypeError` naming every bad field: `space.lr.low: must be < high`,
 * `space.act.choices[2]: duplicate choice "relu"`, `space.units.low: must be an integer`, ...
 *
 * @example
 * ```ts
 * import { categorical, defineSpace, fixed, float, int } from "./mod.ts";
 * const space = defineSpace({
 *   lr: float(1e-5, 1e-1, { log: true }),
 *   units: int(8, 256),
 *   act: categorical(["relu", "tanh"]),
 *   epochs: fixed(3),
 * });
 * console.log(space.names, space.dim); // ["lr", "units", "act", "epochs"] 4
 * ```
 */
export function defineSpace<const D extends SpaceDefinition>(definition: D): Space<D> {
  return Space.fromDefinition(definition, "space");
}

const spaceJSONSchema = z.object({
  version: z.literal(1),
  params: z.array(z.object({ name: z.string().min(1, "must not be empty") }).loose()).min(
    1,
    "must define at least one parameter",
  ),
}).strict().superRefine((json, ctx) => {
  const seen = new Set<string>();
  json.params.forEach((p, i) => {
    if (seen.has(p.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["params", i, "name"],
        message: `duplicate name "${p.name}"`,
      });
    }
    seen.add(p.name);
  });
});

/**
 * Reads a space back from its JSON form ({@linkcode Space.toJSON}, or the parsed text of it).
 * Bad input throws a `TypeError` naming the field by its position in the list
 * (`spaceJSON.params[0].low: must be < high`, `spaceJSON.params[1].when.act: unknown parameter`).
 *
 * @example
 * ```ts
 * import { defineSpace, float, int, spaceFromJSON } from "./mod.ts";
 * const space = defineSpace({ lr: float(1e-4, 1, { log: true }), units: int(8, 64) });
 * const copy = spaceFromJSON(JSON.parse(JSON.stringify(space)));
 * console.log(copy.names); // ["lr", "units"]
 * ```
 */
export function spaceFromJSON(json: unknown): Space {
  const parsed = parseOrThrow(spaceJSONSchema, json, "spaceJSON");
  // Check each definition under its position in the list, so errors point into the JSON.
  const definition = parsed.params.map(({ name, ...rest }, i) =>
    [name, parseOrThrow(paramDefinitionSchema, rest, `spaceJSON.params[${i}]`)] as const
  );
  const position = new Map(parsed.params.map(({ name }, i) => [name, i]));
  return Space.fromEntries(definition, "spaceJSON", (name) => ["params", position.get(name)!]);
}

/** A condition with sorted parents, a one-value list as the value, and lists in a fixed order. */
function canonicalCondition(when: unknown): unknown {
  if (when === null || typeof when !== "object" || Array.isArray(when)) return when;
  const record = when as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record).sort().map((parent) => {
      const value = record[parent];
      if (!Array.isArray(value)) return [parent, value];
      if (value.length === 1) return [parent, value[0]];
      const keyed = value.map((v) => [JSON.stringify(v), v] as const);
      keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return [parent, keyed.map(([, v]) => v)];
    }),
  );
}

/** One parameter of a space's JSON without the fields that only restate a default. */
function canonicalParam(param: unknown): unknown {
  if (param === null || typeof param !== "object" || Array.isArray(param)) return param;
  const p = param as Record<string, unknown>;
  const numeric = p.kind === "float" || p.kind === "int";
  const entries = Object.keys(p).sort().flatMap((key): [string, unknown][] => {
    const value = p[key];
    if (value === undefined) return [];
    if (numeric && key === "log" && value === false) return [];
    if (p.kind === "int" && key === "step" && value === 1) return [];
    if (key === "when") return [[key, canonicalCondition(value)]];
    return [[key, value]];
  });
  return Object.fromEntries(entries);
}

/**
 * A canonical text of a space (a {@linkcode Space} or its {@linkcode SpaceJSON}): equal for two
 * spaces that encode, decode and validate alike, whatever the way they are written. Defaults
 * written out (`log: false`, an int's `step: 1`) are left out, conditions have their parents in
 * name order, a one-value list is the value and a list of values is in a fixed order; parameter
 * order, names, bounds and choices (whose order sets the columns) are kept. Any other JSON value
 * (not a space) gives its own JSON text with object keys sorted.
 *
 * @example
 * ```ts
 * import { canonicalSpaceJSON, defineSpace, float, int } from "./mod.ts";
 * const a = defineSpace({ lr: float(0.1, 0.7), k: int(1, 10) });
 * const b = defineSpace({ lr: float(0.1, 0.7, { log: false }), k: int(1, 10, { step: 1 }) });
 * canonicalSpaceJSON(a) === canonicalSpaceJSON(b); // true
 * ```
 */
export function canonicalSpaceJSON(space: Space | SpaceJSON | unknown): string {
  const json = space instanceof Space ? space.toJSON() : space;
  const canonical = json !== null && typeof json === "object" && !Array.isArray(json) &&
      Array.isArray((json as { params?: unknown }).params)
    ? { ...json, params: (json as SpaceJSON).params.map(canonicalParam) }
    : json;
  return canonical === undefined ? "null" : canonicalJSON(canonical);
}

/**
 * Whether two spaces (or their JSON forms) are the same space: equal
 * {@linkcode canonicalSpaceJSON} texts, so that `float(0, 1)` and `float(0, 1, { log: false })`
 * are, and `float(0, 1)` and `float(0, 2)` are not.
 *
 * @example
 * ```ts
 * import { defineSpace, float, int, sameSpace } from "./mod.ts";
 * sameSpace(defineSpace({ k: int(1, 10) }), defineSpace({ k: int(1, 10, { step: 1 }) })); // true
 * sameSpace(defineSpace({ x: float(0, 1) }), defineSpace({ x: float(0, 2) })); // false
 * ```
 */
export function sameSpace(
  a: Space | SpaceJSON | unknown,
  b: Space | SpaceJSON | unknown,
): boolean {
  return a === b || canonicalSpaceJSON(a) === canonicalSpaceJSON(b);
}

/**
 * A box of real parameters `x0`, `x1`, ... with the given [low, high] bounds (linear scale); its
 * configurations are numbers by name (`{ x0: number, x1: number, ... }`).
 *
 * @example
 * ```ts
 * import { boxSpace } from "./mod.ts";
 * const branin = boxSpace([[-5, 10], [0, 15]]);
 * console.log(branin.names); // ["x0", "x1"]
 * const p = branin.decode([0.5, 0.5]);
 * console.log(p.x0 + p.x1); // 10: the parameters are numbers
 * ```
 */
export function boxSpace(
  bounds: readonly (readonly [number, number])[],
): Space<Record<string, FloatParam>> {
  const parsed = parseOrThrow(
    z.array(z.tuple([z.number(), z.number()])).min(1, "must not be empty"),
    bounds,
    "boxSpace.bounds",
  );
  const definition: Record<string, FloatParam> = {};
  parsed.forEach(([low, high], i) => {
    definition[`x${i}`] = float(low, high);
  });
  return Space.fromDefinition(definition, "boxSpace");
}

/**
 * The unit cube [0, 1]^dim as a space of real parameters `x0`, `x1`, ... (numbers by name, as
 * {@linkcode boxSpace}'s); its encoding is the identity.
 *
 * @example
 * ```ts
 * import { unitCube } from "./mod.ts";
 * const cube = unitCube(3);
 * console.log(cube.encode({ x0: 0.1, x1: 0.2, x2: 0.3 })); // Float64Array [0.1, 0.2, 0.3]
 * ```
 */
export function unitCube(dim: number): Space<Record<string, FloatParam>> {
  parseOrThrow(positiveIntSchema, dim, "unitCube.dim");
  return boxSpace(Array.from({ length: dim }, () => [0, 1] as const));
}
