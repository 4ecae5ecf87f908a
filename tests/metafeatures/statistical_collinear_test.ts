/**
 * `can_cor` and `w_lambda` on collinear numeric features without a constant one: NaN with the
 * reason "collinear or constant"; and the committed PMLB meta-dataset's datasets where they (and
 * `linear_discr`) are null are exactly those the statistical module documentation and the README
 * list.
 */
import assert from "node:assert/strict";
import { extractMetaFeatures } from "../../lib/metafeatures/mod.ts";

const read = (path: string) => Deno.readTextFileSync(new URL(`../../${path}`, import.meta.url));
const STATISTICAL = read("lib/metafeatures/groups/statistical.ts");
const README = read("README.md").replace(/\s+/g, " ");

/** The backticked names in `text` between `from` and the next `to`. */
function namesBetween(text: string, from: string, to: string): string[] {
  const start = text.indexOf(from);
  assert.ok(start >= 0, `no "${from}"`);
  const end = text.indexOf(to, start + from.length);
  assert.ok(end >= 0, `no "${to}" after "${from}"`);
  return [...text.slice(start + from.length, end).matchAll(/`([A-Za-z0-9_]+)`/g)].map((m) => m[1])
    .sort();
}

Deno.test("can_cor and w_lambda: one-hot columns that sum to 1 (none constant) are collinear", () => {
  const n = 30;
  const colour = Array.from({ length: n }, (_, i) => (i * 7) % 3);
  const table = {
    red: colour.map((c) => (c === 0 ? 1 : 0)),
    green: colour.map((c) => (c === 1 ? 1 : 0)),
    blue: colour.map((c) => (c === 2 ? 1 : 0)),
    size: Array.from({ length: n }, (_, i) => Math.sin(i) * 10),
    y: Array.from({ length: n }, (_, i) => (i % 2 ? "a" : "b")),
  };
  const mf = extractMetaFeatures(table, { target: "y", groups: ["statistical"] });
  for (const name of ["can_cor.mean", "w_lambda"]) {
    assert.ok(Number.isNaN(mf.get(name)), name);
    assert.match(mf.reasons[name], /numeric features are collinear or constant/);
  }
  // Without one of the one-hot columns the features are not collinear.
  const { blue: _, ...independent } = table;
  const ok = extractMetaFeatures(independent, { target: "y", groups: ["statistical"] });
  assert.ok(Number.isFinite(ok.get("can_cor.mean")));
});

Deno.test("PMLB meta-dataset: the datasets with null can_cor / linear_discr are those documented", () => {
  const md = JSON.parse(read("datasets/pmlb-metadataset/metadataset.json")) as {
    datasets: { id: string; metaFeatures: Record<string, number | null> }[];
  };
  const nullOf = (name: string) =>
    md.datasets.filter((d) => d.metaFeatures[name] === null).map((d) => d.id).sort();
  const canCor = nullOf("can_cor.mean");
  assert.deepEqual(nullOf("w_lambda").filter((id) => canCor.includes(id)), canCor);
  assert.equal(canCor.length, 7);
  assert.deepEqual(namesBetween(STATISTICAL, "7 of the 53 datasets:", ";"), canCor);
  assert.deepEqual(namesBetween(README, "(7 of the 53 PMLB datasets:", ";"), canCor);
  const lda = nullOf("linear_discr.mean");
  assert.deepEqual(namesBetween(README, "within a training fold (6:", ")"), lda);
});
