import assert from "node:assert/strict";
import { z } from "../lib/deps/zod.ts";
import {
  checkFloat64Array,
  checkPoint,
  checkPoints,
  describeValue,
  formatIssues,
  parseOrThrow,
} from "../lib/validate.ts";

Deno.test("checkPoint: type, length and (optionally) finite coordinates, naming the point", () => {
  checkPoint(Float64Array.of(1, NaN), 2, "x"); // finiteness is opt-in
  assert.throws(() => checkPoint([1, 2], 2, "x"), /^TypeError: x: must be a Float64Array$/);
  assert.throws(() => checkPoint(Float64Array.of(1), 2, "x"), /x: expected 2 coordinates, got 1/);
  assert.throws(() => checkPoint(Float64Array.of(1, 2), 1, "x"), /x: expected 1 coordinate, got 2/);
  assert.throws(
    () => checkPoint(Float64Array.of(1, NaN), 2, "x", { finite: true }),
    /x\[1\]: must be finite, got NaN/,
  );
});

Deno.test("checkPoints: arrays only, empty lists on request, the bad point's index named", () => {
  checkPoints([], 3, "points");
  assert.throws(
    () => checkPoints([], 3, "points", { nonEmpty: true }),
    /points: must not be empty/,
  );
  assert.throws(
    () => checkPoints(Float64Array.of(1, 2), 2, "points"),
    /points: must be an array of Float64Array/,
  );
  assert.throws(
    () =>
      checkPoints([Float64Array.of(0, 0), Float64Array.of(0, Infinity)], 2, "p", { finite: true }),
    /p\[1\]\[1\]: must be finite, got Infinity/,
  );
  assert.throws(
    () => checkPoints([Float64Array.of(0, 0), [0, 0]], 2, "p"),
    /p\[1\]: must be a Float64Array/,
  );
});

Deno.test("checkFloat64Array: type and exact length, named by the label", () => {
  checkFloat64Array(new Float64Array(3), 3, "out");
  assert.throws(
    () => checkFloat64Array([0, 0, 0], 3, "out"),
    /^TypeError: out: must be a Float64Array$/,
  );
  assert.throws(
    () => checkFloat64Array(new Float64Array(2), 3, "gram: out"),
    /gram: out: expected length 3, got 2/,
  );
});

const unionSchema = z.strictObject({
  kernel: z.union([
    z.enum(["rbf", "matern52"]),
    z.custom((k) => typeof k === "function", "must be a kernel name or a function"),
  ]).optional(),
  priors: z.union([
    z.enum(["lognormal", "gamma"]),
    z.strictObject({
      noise: z.discriminatedUnion("type", [
        z.strictObject({ type: z.literal("gamma"), concentration: z.number(), rate: z.number() }),
        z.strictObject({ type: z.literal("flat") }),
      ]).optional(),
    }),
  ]).optional(),
  storage: z.union([z.string(), z.number()], { error: "must be a storage or a storage URL" })
    .optional(),
  mode: z.literal("fast").optional(),
});

/** The message `parseOrThrow` throws for `value`. */
function messageOf(value: unknown): string {
  try {
    parseOrThrow(unionSchema, value, "f: options");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a failure");
}

Deno.test("formatIssues: a failed union is reported through its closest branch, full paths", () => {
  // A misspelt key inside the object branch: the key is named, not the union.
  assert.equal(
    messageOf({ priors: { noise: { type: "gamma", concentraton: 1, rate: 1 } } }),
    "f: options.priors.noise.concentration: Invalid input: expected number, received undefined; " +
      "f: options.priors.noise.concentraton: unknown key",
  );
  assert.equal(
    messageOf({ priors: { noise: { type: "gama" } } }),
    'f: options.priors.noise.type: must be one of "gamma", "flat"',
  );
  // A misspelt name: the allowed names; an object where a name or a function fits: the custom one.
  assert.equal(
    messageOf({ priors: "gammma" }),
    'f: options.priors: must be one of "lognormal", "gamma"',
  );
  assert.equal(
    messageOf({ kernel: "matern25" }),
    'f: options.kernel: must be one of "rbf", "matern52"',
  );
  assert.equal(messageOf({ kernel: {} }), "f: options.kernel: must be a kernel name or a function");
  // Every branch rejects the type: what each would take.
  assert.equal(
    messageOf({ priors: 5 }),
    'f: options.priors: must be one of "lognormal", "gamma" or an object, got 5',
  );
  // A union with its own message keeps it; a literal says which value it wants.
  assert.equal(
    messageOf({ storage: true }),
    "f: options.storage: must be a storage or a storage URL",
  );
  assert.equal(messageOf({ mode: "slow" }), 'f: options.mode: must be "fast"');
});

Deno.test("formatIssues: enum values are listed; issues without inputs still pick a branch", () => {
  const result = z.enum(["a", "b"]).safeParse("c");
  assert.equal(formatIssues("x", result.error!.issues), 'x: must be one of "a", "b"');
  const bool = z.literal([true, false]).safeParse("true");
  assert.equal(formatIssues("x", bool.error!.issues), "x: must be one of true, false");
  // Without `reportInput`, depth alone decides: the object branch of a misspelt key.
  const union = unionSchema.safeParse({ priors: { noise: { type: "flat", extra: 1 } } });
  assert.equal(formatIssues("o", union.error!.issues), "o.priors.noise.extra: unknown key");
  assert.equal(
    messageOf({ priors: "x".repeat(50), kernel: [] }),
    'f: options.kernel: must be a kernel name or a function; f: options.priors: must be one of "lognormal", "gamma"',
  );
  assert.deepEqual(
    ["0", [1], {}, null, NaN, undefined, 1n, () => 1].map(describeValue),
    [
      'the string "0"',
      "an array",
      "an object",
      "null",
      "NaN",
      "undefined",
      "a bigint (1n)",
      "a function",
    ],
  );
});
