import assert from "node:assert/strict";
import { assertNear as near } from "../_assert.ts";
import { extractMetaFeatures } from "../../lib/metafeatures/mod.ts";

const statistical = (table: Record<string, unknown[]>, summary: string[], task?: "regression") =>
  extractMetaFeatures(table, {
    target: "y",
    groups: ["statistical"],
    summary,
    ...(task ? { task } : {}),
  });

Deno.test("statistical: kurtosis and skewness of a column near 1e80 (fourth powers overflow)", () => {
  const x = [1, 2, 3, 10, -4, 0.5, 7.25, 6, 2.5, -1];
  const other = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
  const y = x.map((_, i) => (i % 2 ? "a" : "b"));
  const summary = ["mean", "min", "max"];
  const base = statistical({ x, other, y }, summary);
  for (const s of [1e80, 1e95, 1e-85]) {
    const mf = statistical({ x: x.map((v) => v * s), other, y }, summary);
    for (const measure of ["kurtosis", "skewness"]) {
      // Both features' values are summarised (a NaN of the scaled column would leave only other's).
      for (const name of summary.map((m) => `${measure}.${m}`)) {
        near(mf.get(name), base.get(name), 1e-12);
      }
    }
    assert.equal(mf.get("nr_norm"), base.get("nr_norm"));
  }
});

Deno.test("statistical: the mean of a column near the top of the float64 range", () => {
  const a = [1.5e308, 1.5e308, 1.4e308, 1.3e308];
  const mf = statistical({ a, b: [1, 2, 3, 4], y: [0, 1, 0, 1] }, ["mean", "max", "min"]);
  // Its sum overflows, its mean (1.425e308) does not.
  near(mf.get("mean.max"), 1.425e308, 1e-15);
  assert.equal(mf.get("mean.min"), 2.5);
  near(mf.get("mean.mean"), (1.425e308 + 2.5) / 2, 1e-15);
  for (const s of ["mean", "max", "min"]) assert.equal(mf.reasons[`mean.${s}`], undefined);
  // Its variance (about 1e613) is beyond the float64 range, its standard deviation is not.
  assert.match(mf.reasons["var.max"], /overflow/);
  near(mf.get("sd.max"), 9.574271077563381e306, 1e-14);
});

Deno.test("statistical: a feature of equal values has no correlation, whatever its mean", () => {
  // Five values 0.1 average to 0.1 exactly, three or six do not: all are constant.
  for (const n of [3, 6]) {
    const c = new Array(n).fill(0.1);
    const d = new Array(n).fill(1 / 3 + 0.1);
    const b = Array.from({ length: n }, (_, i) => i * i);
    const y = b.map((_, i) => i % 2);
    const mf = statistical({ c, d, b, y }, ["mean", "max", "count"]);
    for (const s of ["mean", "max"]) {
      assert.ok(Number.isNaN(mf.get(`cor.${s}`)), `cor.${s} of ${n} rows`);
      assert.equal(mf.reasons[`cor.${s}`], "cor: every value is NaN (e.g. constant features)");
    }
    assert.equal(mf.get("cor.count"), 0);
    assert.equal(mf.get("nr_cor_attr"), 0);
    // Covariances with a constant feature are exactly 0.
    assert.equal(mf.get("cov.max"), 0);
    assert.ok(Number.isNaN(mf.get("can_cor.max")));
    assert.equal(mf.reasons["can_cor.max"], "can_cor: numeric features are collinear or constant");
    // A single constant feature, and a constant regression target.
    const alone = statistical({ c, y }, ["max"]);
    assert.ok(Number.isNaN(alone.get("can_cor.max")));
    assert.equal(alone.reasons["w_lambda"], "w_lambda: numeric features are collinear or constant");
    const target = statistical({ b, y: c }, ["max"], "regression");
    assert.ok(Number.isNaN(target.get("can_cor.max")));
    assert.equal(target.reasons["can_cor.max"], "can_cor: target has zero variance");
  }
});

Deno.test("statistical: a missing value of a column near the top of the float64 range is filled with its mean", () => {
  // The present values' sum overflows; their mean (1.45e308) fills the missing row.
  const a = [1.5e308, null, 1.5e308, 1.4e308, 1.4e308];
  const mf = statistical({ a, b: [1, 2, 3, 4, 5], y: [0, 1, 0, 1, 0] }, ["max"]);
  near(mf.get("mean.max"), 1.45e308, 1e-15);
  assert.equal(mf.reasons["mean.max"], undefined);
});
