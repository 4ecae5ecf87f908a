/**
 * Zod parsing whose errors name the path of every bad field (`fitGP: options.restarts: must be
 * an integer ≥ 0`), and the small schemas the modules share. Every module that validates input
 * crossing a boundary goes through {@linkcode parseOrThrow}, so all errors read the same way.
 *
 * @module
 */
import { z } from "./deps/zod.ts";
import { Rng } from "./random/rng.ts";

/**
 * How many problems an error message lists before it summarises the rest as `(+N more)`: enough
 * to fix a typical options object at once, few enough that one bad array of a thousand entries
 * does not produce a thousand-line message.
 */
const MAX_LISTED_ISSUES = 5;

/**
 * Formats zod issues as `label.path.to[0].field: message`, joined with `"; "`: string keys as
 * `.key`, array indices as `[i]`, and one `…: unknown key` per key that a strict object rejects.
 * A value outside an enum or a list of literals reads `must be one of "a", "b"` (the allowed
 * values). A value that fits no branch of a union is reported through the branch it comes closest
 * to, with the full path of each of that branch's problems, instead of zod's bare `Invalid input`:
 * branches that only reject the value's type are left out (judged by the issues' `input`, which
 * {@linkcode parseOrThrow} asks zod to report), then the branch whose problems lie deepest wins,
 * then the one with the fewest; when every branch rejects the type, the message lists what each
 * would take. A union given its own message keeps it. Lists the first 5 problems, then `(+N more)`.
 *
 * @example
 * ```ts
 * import { z } from "./deps/zod.ts";
 * import { formatIssues } from "./validate.ts";
 * const schema = z.strictObject({ tasks: z.array(z.object({ value: z.number() })) });
 * const result = schema.safeParse({ tasks: [{ value: "x" }], extra: 1 });
 * if (!result.success) console.log(formatIssues("options", result.error.issues));
 * // options.tasks[0].value: Invalid input: expected number, received string; options.extra: unknown key
 * const kernel = z.union([z.enum(["rbf", "matern52"]), z.strictObject({ lengthscale: z.number() })]);
 * const typo = kernel.safeParse({ lengthscle: 1 });
 * if (!typo.success) console.log(formatIssues("options.kernel", typo.error.issues));
 * // options.kernel.lengthscale: Invalid input: expected number, received undefined;
 * // options.kernel.lengthscle: unknown key
 * ```
 */
export function formatIssues(label: string, issues: readonly z.core.$ZodIssue[]): string {
  return joinIssueLines(issues.flatMap((issue) => issueLines(label, [], issue)));
}

/**
 * @internal One message from the lines of several issues, as {@linkcode formatIssues} writes it:
 * joined by "; ", the first five listed and the rest counted (`(+n more)`).
 */
export function joinIssueLines(lines: readonly string[]): string {
  const hidden = lines.length - MAX_LISTED_ISSUES;
  return hidden > 0
    ? [...lines.slice(0, MAX_LISTED_ISSUES), `(+${hidden} more)`].join("; ")
    : lines.join("; ");
}

/**
 * @internal Whether `value` is a promise (or any thenable): what a synchronous contract (a
 * proposer, a surrogate, an acquisition function) refuses.
 */
export function isPromiseLike(value: unknown): boolean {
  return value !== null && (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function";
}

/** zod's own message of a union that no branch accepts (a custom message is kept as given). */
const DEFAULT_UNION_MESSAGE = "Invalid input";

/** The fields of a zod issue that the formatting reads, whatever its code. */
type LooseIssue = z.core.$ZodIssue & {
  readonly errors?: readonly (readonly z.core.$ZodIssue[])[];
  readonly values?: readonly unknown[];
  readonly options?: readonly unknown[];
  readonly input?: unknown;
};

/** The lines of one issue found at `prefix` (the path of the union it belongs to, if any). */
function issueLines(
  label: string,
  prefix: readonly PropertyKey[],
  issue: z.core.$ZodIssue,
): string[] {
  const loose = issue as LooseIssue;
  const path = [...prefix, ...issue.path];
  const at = (message: string) => [`${formatPath(label, path)}: ${message}`];
  // zod reports unknown keys once, on the parent object; name each key instead.
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${formatPath(label, [...path, key])}: unknown key`);
  }
  if (issue.code === "invalid_value" && isDefaultMessage(issue.message)) {
    return at(mustBeOneOf(issue.values));
  }
  if (issue.code === "invalid_union") {
    const branches = loose.errors ?? [];
    // A discriminated union whose discriminator matches no option.
    if (
      branches.length === 0 && Array.isArray(loose.options) && loose.options.length > 0 &&
      issue.message.startsWith("Invalid discriminator value")
    ) {
      return at(mustBeOneOf(loose.options));
    }
    if (issue.message === DEFAULT_UNION_MESSAGE && branches.length > 0) {
      const closest = closestUnionBranch(branches);
      if (closest !== undefined) return closest.flatMap((inner) => issueLines(label, path, inner));
      return at(noBranchMessage(branches, loose));
    }
  }
  return at(issue.message);
}

/** Whether an `invalid_value` message is zod's default (`Invalid option: expected one of …`). */
function isDefaultMessage(message: string): boolean {
  return message.startsWith("Invalid option") || message.startsWith("Invalid input");
}

/** `must be one of "a", "b"`, or `must be "a"` for a single allowed value. */
function mustBeOneOf(values: readonly unknown[]): string {
  const listed = values.map(formatValue);
  return listed.length === 1 ? `must be ${listed[0]}` : `must be one of ${listed.join(", ")}`;
}

function formatValue(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * Whether an issue only says that the value has the wrong type for its branch (an object where a
 * name was expected, a name outside the branch's values of another type): such a branch was not
 * the one meant. `invalid_value` issues are judged by their `input`, which {@linkcode parseOrThrow}
 * asks zod to report.
 */
function isTypeMismatch(issue: z.core.$ZodIssue): boolean {
  if (issue.path.length > 0) return false;
  if (issue.code === "invalid_type") return true;
  const loose = issue as LooseIssue;
  return issue.code === "invalid_value" && "input" in loose &&
    !issue.values.some((v) => typeof v === typeof loose.input);
}

/**
 * The branch of a failed union that the input comes closest to matching, or undefined when the
 * input has the wrong type for every branch. Branches whose only problem is the input's type are
 * left out; among the others, the one whose problems lie deepest (the input matched the most of
 * its structure), then the one with the fewest problems, then the first.
 */
function closestUnionBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | undefined {
  let best: readonly z.core.$ZodIssue[] | undefined;
  let bestDepth = -1;
  for (const branch of branches) {
    if (branch.length === 0 || branch.every(isTypeMismatch)) continue;
    let depth = 0;
    for (const issue of branch) {
      depth = Math.max(depth, issue.path.length + (issue.code === "unrecognized_keys" ? 1 : 0));
    }
    if (
      best === undefined || depth > bestDepth ||
      (depth === bestDepth && branch.length < best.length)
    ) {
      best = branch;
      bestDepth = depth;
    }
  }
  return best;
}

/**
 * The message of a union whose every branch rejects the input's type: what each branch would take
 * (`must be one of "lognormal", "gamma" or an object, got 5`), a branch's own message (`must be
 * a positive integer`) without its `must be`.
 */
function noBranchMessage(
  branches: readonly (readonly z.core.$ZodIssue[])[],
  union: LooseIssue,
): string {
  const wanted = branches.map((branch) => {
    const issue = branch[0];
    if (issue.code === "invalid_value" && isDefaultMessage(issue.message)) {
      return mustBeOneOf(issue.values).replace(/^must be /, "");
    }
    if (issue.code === "invalid_type" && isDefaultMessage(issue.message)) {
      return `${/^[aeiou]/.test(issue.expected) ? "an" : "a"} ${issue.expected}`;
    }
    return issue.message.replace(/^must be /, "");
  });
  const got = union.input === undefined ? "" : `, got ${describeValue(union.input)}`;
  return `must be ${[...new Set(wanted)].join(" or ")}${got}`;
}

/**
 * Canonical JSON text: object keys sorted at every level, so that equal configurations (or spaces)
 * written with their keys in another order give the same text; `"undefined"` for `undefined`.
 *
 * @example
 * ```ts
 * import { canonicalJSON } from "./validate.ts";
 * canonicalJSON({ b: 1, a: { d: 2, c: 3 } }); // '{"a":{"c":3,"d":2},"b":1}'
 * ```
 */
export function canonicalJSON(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
        : v,
  ) ?? "undefined";
}

/**
 * A short description of any value for an error message: `null`, `an array`, `an object`,
 * `the string "abc"` (its first 40 characters), `a bigint (1n)`, `a function`, or the value
 * itself (`NaN`, `true`, `3`).
 *
 * @example
 * ```ts
 * import { describeValue } from "./validate.ts";
 * describeValue("0"); // 'the string "0"'
 * describeValue([1]); // "an array"
 * describeValue(NaN); // "NaN"
 * describeValue(1n); // "a bigint (1n)"
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === "bigint") return `a bigint (${value}n)`;
  if (typeof value === "function") return "a function";
  return String(value);
}

function formatPath(label: string, path: readonly PropertyKey[]): string {
  const rendered = path.map((key) => typeof key === "number" ? `[${key}]` : `.${String(key)}`)
    .join("");
  return label === "" ? rendered.replace(/^\./, "") : label + rendered;
}

/**
 * Parses `value` with `schema` and returns the parsed output, or throws a `TypeError` whose
 * message names the path of each bad field (see {@linkcode formatIssues}).
 *
 * @example
 * ```ts
 * import { z } from "./deps/zod.ts";
 * import { parseOrThrow } from "./validate.ts";
 * const schema = z.object({ lr: z.number().positive("must be > 0") });
 * parseOrThrow(schema, { lr: 0.1 }, "options"); // { lr: 0.1 }
 * try {
 *   parseOrThrow(schema, { lr: -1 }, "sgd: options");
 * } catch (error) {
 *   console.log((error as TypeError).message); // sgd: options.lr: must be > 0
 * }
 * ```
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  label: string,
): z.output<T> {
  // The inputs let the formatting tell a misspelt name from a value of another type in a union.
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw new TypeError(formatIssues(label, result.error.issues));
  return result.data;
}

/**
 * `value` without its keys whose value is `undefined`, so that spreading it over defaults keeps
 * the defaults of options given as `undefined` (`{ ...DEFAULTS, ...withoutUndefined(parsed) }`).
 *
 * @example
 * ```ts
 * import { withoutUndefined } from "./validate.ts";
 * const options = { steps: undefined, rate: 0.1 };
 * console.log({ steps: 100, rate: 1, ...withoutUndefined(options) }); // { steps: 100, rate: 0.1 }
 * ```
 */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A positive integer (dimensions, budgets, sample counts).
 *
 * @example
 * ```ts
 * import { parseOrThrow, positiveIntSchema } from "./validate.ts";
 * parseOrThrow(positiveIntSchema, 3, "dim"); // 3; 0 throws "dim: must be a positive integer"
 * ```
 */
export const positiveIntSchema: z.ZodNumber = z.number().int("must be a positive integer")
  .positive("must be a positive integer");

/**
 * A non-negative integer (counts of points, points to skip, restarts).
 *
 * @example
 * ```ts
 * import { nonNegativeIntSchema, parseOrThrow } from "./validate.ts";
 * parseOrThrow(nonNegativeIntSchema, 0, "n"); // 0; -1 throws "n: must be an integer ≥ 0"
 * ```
 */
export const nonNegativeIntSchema: z.ZodNumber = z.number().int("must be an integer ≥ 0")
  .nonnegative("must be an integer ≥ 0");

/**
 * An integer that JavaScript represents exactly (a safe integer, |x| ≤ 2^53 − 1): a non-integer
 * is reported as `must be an integer`, a larger integer as `must be a safe integer (…)`.
 *
 * @example
 * ```ts
 * import { parseOrThrow, safeIntSchema } from "./validate.ts";
 * parseOrThrow(safeIntSchema, 7, "seed"); // 7; 2 ** 60 throws "seed: must be a safe integer (…)"
 * ```
 */
export const safeIntSchema: z.ZodNumber = z.number().int({
  error: (issue) =>
    issue.code === "invalid_type"
      ? "must be an integer"
      : "must be a safe integer (at most 2^53 − 1 in absolute value)",
});

/**
 * A seeded generator argument.
 *
 * @example
 * ```ts
 * import { parseOrThrow, rngSchema } from "./validate.ts";
 * import { Rng } from "./random/rng.ts";
 * const rng = parseOrThrow(rngSchema, new Rng(0), "rng"); // Math.random throws "rng: must be an Rng"
 * ```
 */
export const rngSchema: z.ZodType<Rng> = z.instanceof(Rng, { message: "must be an Rng" });

/**
 * A `Float64Array` (a point of the unit cube, a vector of bounds).
 *
 * @example
 * ```ts
 * import { float64ArraySchema, parseOrThrow } from "./validate.ts";
 * parseOrThrow(float64ArraySchema, new Float64Array(2), "x0"); // [1, 2] throws "x0: must be a Float64Array"
 * ```
 */
export const float64ArraySchema: z.ZodCustom<Float64Array> = z.instanceof(Float64Array, {
  message: "must be a Float64Array",
});

/**
 * A record with arbitrary string keys (ids, column or meta-feature names) whose values must match
 * `value`. Unlike `z.record`, every own key survives, `__proto__` included (zod 4 assigns keys
 * one by one into `{}`, which turns an own `__proto__` key into a prototype change and drops it),
 * and the output is built with `Object.fromEntries`, so keys such as `constructor` or `toString`
 * are own data properties. Read the result with `Object.hasOwn` or `Object.entries`, never with a
 * bare `record[key]` for a key that may be absent (it would find `Object.prototype` members).
 *
 * @example
 * ```ts
 * import { z } from "./deps/zod.ts";
 * import { ownRecordSchema, parseOrThrow } from "./validate.ts";
 * const parsed = parseOrThrow(ownRecordSchema(z.number()), JSON.parse('{"__proto__": 1}'), "m");
 * Object.keys(parsed); // ["__proto__"]
 * ```
 */
export function ownRecordSchema<T extends z.ZodType>(
  value: T,
): z.ZodType<Record<string, z.output<T>>, unknown> {
  return z.unknown().transform((input, ctx) => {
    if (input === null || typeof input !== "object" || Array.isArray(input)) {
      ctx.issues.push({
        code: "custom",
        message: `must be an object, got ${
          input === null ? "null" : Array.isArray(input) ? "an array" : typeof input
        }`,
        input,
      });
      return z.NEVER;
    }
    const entries: [string, z.output<T>][] = [];
    for (const [key, item] of Object.entries(input)) {
      const result = value.safeParse(item, { reportInput: true });
      if (result.success) entries.push([key, result.data]);
      else {
        for (const issue of result.error.issues) {
          ctx.issues.push({ ...issue, path: [key, ...issue.path] } as never);
        }
      }
    }
    return Object.fromEntries(entries) as Record<string, z.output<T>>;
  }) as unknown as z.ZodType<Record<string, z.output<T>>, unknown>;
}

/**
 * Checks that `value` is a `Float64Array` of exactly `length` entries (an output buffer, a vector
 * of weights, a row-major matrix); the error message starts with `label`.
 *
 * @example
 * ```ts
 * import { checkFloat64Array } from "./validate.ts";
 * checkFloat64Array(new Float64Array(4), 4, "gram: out"); // passes
 * try {
 *   checkFloat64Array(new Float64Array(3), 4, "gram: out");
 * } catch (error) {
 *   console.log((error as RangeError).message); // gram: out: expected length 4, got 3
 * }
 * ```
 */
export function checkFloat64Array(
  value: unknown,
  length: number,
  label: string,
): asserts value is Float64Array {
  if (!(value instanceof Float64Array)) throw new TypeError(`${label}: must be a Float64Array`);
  if (value.length !== length) {
    throw new RangeError(`${label}: expected length ${length}, got ${value.length}`);
  }
}

/**
 * Options of {@linkcode checkPoint} and {@linkcode checkPoints}.
 *
 * @example
 * ```ts
 * import { checkPoints, type PointCheckOptions } from "./validate.ts";
 * const strict: PointCheckOptions = { finite: true, nonEmpty: true };
 * checkPoints([Float64Array.of(0.5, 0.5)], 2, "fit: points", strict);
 * ```
 */
export interface PointCheckOptions {
  /** Also require every coordinate to be finite (default false). */
  finite?: boolean;
  /** Reject an empty list of points ({@linkcode checkPoints} only; default false). */
  nonEmpty?: boolean;
}

/**
 * Checks one point: a `Float64Array` of `dim` coordinates (finite ones with `finite`). Throws a
 * `TypeError` or `RangeError` whose message starts with `label` and names the bad coordinate:
 * `GP.predict: point: expected 2 coordinates, got 3`, `fitGP: points[3][1]: must be finite, got NaN`.
 *
 * @example
 * ```ts
 * import { checkPoint } from "./validate.ts";
 * checkPoint(Float64Array.of(0.1, 0.2), 2, "x"); // passes
 * try {
 *   checkPoint(Float64Array.of(0.1, NaN), 2, "x", { finite: true });
 * } catch (error) {
 *   console.log((error as RangeError).message); // x[1]: must be finite, got NaN
 * }
 * ```
 */
export function checkPoint(
  point: unknown,
  dim: number,
  label: string,
  options: PointCheckOptions = {},
): asserts point is Float64Array {
  if (!(point instanceof Float64Array)) throw new TypeError(`${label}: must be a Float64Array`);
  if (point.length !== dim) {
    const unit = dim === 1 ? "coordinate" : "coordinates";
    throw new RangeError(`${label}: expected ${dim} ${unit}, got ${point.length}`);
  }
  if (options.finite) {
    for (let j = 0; j < dim; j++) {
      if (!Number.isFinite(point[j])) {
        throw new RangeError(`${label}[${j}]: must be finite, got ${point[j]}`);
      }
    }
  }
}

/**
 * Checks a list of points with {@linkcode checkPoint} (errors name the point: `label[i]`), and
 * that the list is an array, non-empty with `nonEmpty`.
 *
 * @example
 * ```ts
 * import { checkPoints } from "./validate.ts";
 * checkPoints([Float64Array.of(0, 1), Float64Array.of(1, 0)], 2, "points", { finite: true });
 * try {
 *   checkPoints([Float64Array.of(0, 1), Float64Array.of(1)], 2, "points");
 * } catch (error) {
 *   console.log((error as RangeError).message); // points[1]: expected 2 coordinates, got 1
 * }
 * ```
 */
export function checkPoints(
  points: unknown,
  dim: number,
  label: string,
  options: PointCheckOptions = {},
): asserts points is readonly Float64Array[] {
  if (!Array.isArray(points)) throw new TypeError(`${label}: must be an array of Float64Array`);
  if (options.nonEmpty && points.length === 0) throw new RangeError(`${label}: must not be empty`);
  for (let i = 0; i < points.length; i++) checkPoint(points[i], dim, `${label}[${i}]`, options);
}
