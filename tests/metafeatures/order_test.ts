/**
 * The canonical order of meta-feature names (`lib/metafeatures/order.ts`): that of an extraction
 * for the built-in extractors' names, then any others sorted.
 */
import assert from "node:assert/strict";
import {
  DEFAULT_EXTRACTORS,
  extractMetaFeatures,
  metaFeatureOrder,
} from "../../lib/metafeatures/mod.ts";
import { BUILTIN_MEASURES } from "../../lib/metafeatures/order.ts";

Deno.test("metaFeatureOrder's list of built-in measures is DEFAULT_EXTRACTORS'", () => {
  assert.deepEqual(
    BUILTIN_MEASURES.map(([name, kind]) => [name, kind]),
    DEFAULT_EXTRACTORS.map((e) => [e.name, e.kind]),
  );
});

Deno.test("metaFeatureOrder: an extraction's names keep their order; other names follow, sorted", () => {
  const table = {
    x: [1, 2, 3, 4, 5, 6, 7, 8],
    c: ["u", "v", "u", "w", "v", "v", "u", "u"],
    y: ["a", "a", "a", "a", "b", "b", "b", "b"],
  };
  const names = [...extractMetaFeatures(table, { target: "y", folds: 2 }).names];
  assert.deepEqual(metaFeatureOrder(names), names);
  const some = [...extractMetaFeatures(table, { target: "y", groups: ["statistical"] }).names];
  assert.deepEqual(metaFeatureOrder([...some].reverse()), some);
  // More summaries, in their registry order; names of no built-in extractor after, sorted.
  const more = [
    ...extractMetaFeatures(table, {
      target: "y",
      groups: ["general", "statistical"],
      summary: ["mean", "sd", "min", "histogram"],
    }).names,
  ];
  assert.deepEqual(metaFeatureOrder(["zeta", ...[...more].reverse(), "Alpha", "alpha"]), [
    ...more,
    "Alpha",
    "alpha",
    "zeta",
  ]);
});
