/**
 * Meta-features of five datasets against values computed independently with numpy, scipy and
 * scikit-learn by tests/fixtures/metafeatures/generate.py (see its docstring). Tolerances:
 * - everything not listed below: |got − ref| ≤ 1e-9 · max(1, |ref|) (counts, ratios, moments,
 *   quantiles, correlations, entropies, mutual information, 1-NN / naive Bayes / LDA / OLS scores
 *   on the same folds);
 * - eigenvalues, can_cor, w_lambda (different algorithms: Jacobi vs LAPACK, Cholesky whitening vs
 *   QR/SVD): 1e-8 · max(1, |ref|);
 * - tree landmarkers (best_node, random_node, shallow_tree): scikit-learn breaks ties between
 *   equal splits at random, so each fold's score must equal (1e-12) one of the scores
 *   scikit-learn gives over 40 random states;
 * - the model-based group: 1e-9 against the generator's brute-force numpy CART (same tie rule as
 *   ours: first best column), which the generator checks against scikit-learn at every depth
 *   where scikit-learn's result does not depend on its tie-breaking;
 * - shape summaries (skewness, kurtosis, histogram) of vectors that are constant up to rounding
 *   are listed as unstable by the generator and not compared.
 */
import assert from "node:assert/strict";
import { aq } from "../../lib/deps/arquero.ts";
import { MetaFeatureContext } from "../../lib/metafeatures/context.ts";
import { extractMetaFeatures } from "../../lib/metafeatures/mod.ts";
import { LANDMARKING_EXTRACTORS } from "../../lib/metafeatures/groups/landmarking.ts";

const FIXTURES = new URL("../fixtures/metafeatures/", import.meta.url);
const TREE_LANDMARKERS = ["best_node", "random_node", "shallow_tree"];
const LOOSE = ["eigenvalues", "can_cor", "w_lambda"];

interface Reference {
  target: string;
  task: "classification" | "regression";
  summary: string[];
  values: Record<string, number | null>;
  unstable: string[];
  alternatives: Record<string, unknown>;
}

const measureOf = (name: string) => name.split(".")[0];

function load(name: string) {
  const ref: Reference = JSON.parse(Deno.readTextFileSync(new URL(`${name}.json`, FIXTURES)));
  const table = aq.fromCSV(Deno.readTextFileSync(new URL(`${name}.csv`, FIXTURES)));
  return { ref, table };
}

function close(got: number, want: number | null, tol: number): boolean {
  if (want === null) return Number.isNaN(got);
  return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}

for (const dataset of ["iris", "wine", "breast_cancer", "diabetes", "mixed"]) {
  Deno.test(`metafeatures match numpy/scipy/scikit-learn on ${dataset}`, () => {
    const { ref, table } = load(dataset);
    const mf = extractMetaFeatures(table, { target: ref.target, summary: ref.summary });
    assert.deepEqual(
      [...mf.names].sort(),
      Object.keys(ref.values).sort(),
      "JS and the generator produce the same meta-feature names",
    );
    const failures: string[] = [];
    for (const name of mf.names) {
      const measure = measureOf(name);
      if (ref.unstable.includes(name)) continue;
      if (TREE_LANDMARKERS.includes(measure)) continue;
      const tol = LOOSE.includes(measure) ? 1e-8 : 1e-9;
      if (!close(mf.get(name), ref.values[name], tol)) {
        failures.push(`${name}: got ${mf.get(name)}, want ${ref.values[name]}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  Deno.test(`tree landmarkers match scikit-learn fold by fold on ${dataset}`, () => {
    const { ref, table } = load(dataset);
    const ctx = MetaFeatureContext.fromTable(table, {
      target: ref.target,
      seed: 0,
      bins: 10,
      folds: 10,
      maxDepth: 5,
    });
    for (const name of TREE_LANDMARKERS) {
      const scores = LANDMARKING_EXTRACTORS.find((e) => e.name === name)!.compute(ctx);
      const allowed = ref.alternatives[name] as number[][];
      assert.equal((scores as Float64Array).length, allowed.length);
      (scores as Float64Array).forEach((s, f) => {
        assert.ok(
          allowed[f].some((a) => Math.abs(a - s) <= 1e-12),
          `${name} fold ${f}: ${s} not among scikit-learn's ${JSON.stringify(allowed[f])}`,
        );
      });
    }
  });
}
