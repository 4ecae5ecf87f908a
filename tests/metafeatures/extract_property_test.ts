/**
 * Property-based tests of extractMetaFeatures: every valid table (a target with two classes or a
 * numeric target, every feature with a value) gives finite values or NaN with a recorded reason,
 * never a throw. Run counts: tests/_property.ts.
 */
import assert from "node:assert/strict";
import { fc } from "../_fast_check.ts";
import { propertyParams } from "../_property.ts";
import { aq } from "../../lib/deps/arquero.ts";
import { extractMetaFeatures } from "../../lib/metafeatures/mod.ts";

/** Numbers that stress the statistics: huge, tiny, repeated, with missing cells. */
const hostileNumber = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, -1, 1e300, -1e300, 5e-324, 1e-300) },
  { weight: 1, arbitrary: fc.constantFrom(null, NaN, Infinity, undefined) },
);
const label = fc.constantFrom("a", "b", "c", "constructor", "__proto__", "é", "", null);

const present = (v: unknown) =>
  v !== null && v !== undefined && v !== "" && (typeof v !== "number" || Number.isFinite(v));

const column = (rows: number) =>
  fc.oneof(
    fc.array(hostileNumber, { minLength: rows, maxLength: rows }),
    fc.array(label, { minLength: rows, maxLength: rows }),
    fc.constant(Array.from({ length: rows }, () => 7)), // constant
    fc.array(fc.integer({ min: 0, max: 2 }), { minLength: rows, maxLength: rows }),
  ).filter((values) => values.some(present));

const table = fc.integer({ min: 2, max: 24 }).chain((rows) =>
  fc.record({
    rows: fc.constant(rows),
    features: fc.array(column(rows), { minLength: 1, maxLength: 4 }),
    target: fc.oneof(
      // Classes: at least two distinct labels present.
      fc.array(fc.constantFrom("x", "y", "z", null), { minLength: rows, maxLength: rows })
        .filter((t) => new Set(t.filter((v) => v !== null)).size >= 2),
      // A numeric target: regression or few-integer classes, as the task rule says.
      fc.array(fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.constant(null)), {
        minLength: rows,
        maxLength: rows,
      }).filter((t) => new Set(t.filter((v) => v !== null)).size >= 2),
    ),
    seed: fc.integer({ min: 0, max: 1000 }),
    arquero: fc.boolean(),
  }, { noNullPrototype: true })
).filter(({ features, target }) =>
  // Valid: after rows with a missing target are dropped, every feature still has a value.
  features.every((values) => values.some((v, i) => present(v) && target[i] !== null))
);

Deno.test("property: valid tables give finite meta-features or NaN with a reason, never a throw", () => {
  fc.assert(
    fc.property(table, ({ features, target, seed, arquero }) => {
      const columns: Record<string, unknown[]> = Object.fromEntries([
        ...features.map((values, j) => [j === 0 ? "constructor" : `f${j}`, values]),
        ["y", target],
      ]);
      const input = arquero ? aq.table(columns) : columns;
      const mf = extractMetaFeatures(input, {
        target: "y",
        seed,
        folds: 2,
        summary: ["mean", "sd", "max"],
      });
      assert.equal(mf.names.length, mf.values.length);
      mf.names.forEach((name, i) => {
        const value = mf.values[i];
        if (Number.isNaN(value)) {
          assert.ok(
            typeof mf.reasons[name] === "string" && mf.reasons[name] !== "",
            `${name}: NaN without a reason`,
          );
        } else {
          assert.ok(Number.isFinite(value), `${name} = ${value}`);
        }
      });
    }),
    propertyParams(100),
  );
});
