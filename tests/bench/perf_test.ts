import assert from "node:assert/strict";
import { metaFeatureRows } from "../../bench/suites/perf.ts";
import type { TimingPoint } from "../../bench/metafeatures.ts";

const point = (rows: number, features: number, medianMs: number): TimingPoint => ({
  rows,
  features,
  groups: "all",
  medianMs,
  minMs: medianMs,
  metaFeatures: 100,
});

Deno.test("perf metaFeatureRows: one row per key; the headline keeps its task, series repeats name their series", () => {
  // The quick size's series: 1000 and 5000 rows at 20 features, 10 and 20 features at 5000 rows.
  const rows = metaFeatureRows({
    headline: point(5000, 20, 378),
    targetMs: 2000,
    withinTarget: true,
    perGroup: [],
    byRows: [point(1000, 20, 45), point(5000, 20, 334)],
    byFeatures: [point(5000, 10, 284), point(5000, 20, 508)],
  });
  const keys = rows.map((r) => `${r.task} ${r.method} seed ${r.seed} step ${r.step}`);
  assert.equal(new Set(keys).size, keys.length, keys.join("; "));
  const value = (task: string) =>
    rows.find((r) => r.task === task && r.method === "metahpo")?.value;
  assert.equal(value("metafeatures 5000x20"), 378);
  assert.equal(value("metafeatures 1000x20"), 45);
  assert.equal(value("metafeatures 5000x10"), 284);
  assert.equal(value("metafeatures 5000x20 (rows series)"), 334);
  assert.equal(value("metafeatures 5000x20 (features series)"), 508);
  assert.equal(
    rows.find((r) => r.method === "target 2000 ms / metahpo")?.value,
    2000 / 378,
  );
});
