import assert from "node:assert/strict";
import { assertNear as near } from "../_assert.ts";
import { aq } from "../../lib/deps/arquero.ts";
import {
  extractMetaFeatures,
  type MetaFeatureExtractor,
  MetaFeatureUnavailable,
} from "../../lib/metafeatures/mod.ts";

Deno.test("general group on a hand-made table with missing and categorical values", () => {
  const mf = extractMetaFeatures({
    x: [1, 2, null, 4, 5, 6, 7, 8],
    c: ["u", "v", "u", null, "v", "v", "u", "u"],
    y: ["a", "a", "a", "a", "b", "b", "b", "b"],
  }, { target: "y", groups: ["general"] });
  const expected: Record<string, number> = {
    nr_inst: 8,
    nr_attr: 2,
    nr_num: 1,
    nr_cat: 1,
    nr_bin: 1,
    nr_class: 2,
    attr_to_inst: 0.25,
    inst_to_attr: 4,
    num_to_cat: 1,
    cat_to_num: 1,
    "freq_class.mean": 0.5,
    "freq_class.sd": 0,
    missing_ratio: 2 / 16,
    inst_missing_ratio: 2 / 8,
  };
  assert.deepEqual(mf.toObject(), expected);
  assert.deepEqual(mf.reasons, {});
});

Deno.test("rows with a missing target are dropped; missing numbers get the mean", () => {
  const mf = extractMetaFeatures({
    x: [1, 2, null, 4, 100],
    y: [0, 0, 1, 1, null],
  }, { target: "y", groups: ["general", "statistical"], summary: ["mean", "max"] });
  assert.equal(mf.get("nr_inst"), 4);
  // x after imputation: 1, 2, 7/3, 4 → mean 7/3, max 4
  near(mf.get("mean.mean"), 7 / 3);
  assert.equal(mf.get("max.max"), 4);
});

Deno.test("info-theory group by hand (categorical columns)", () => {
  const mf = extractMetaFeatures({
    c1: ["p", "p", "q", "q"],
    c2: ["p", "q", "p", "q"],
    y: ["a", "a", "b", "b"],
  }, { target: "y", groups: ["info-theory"], summary: ["mean", "min", "max"] });
  // H(Y)=1; H(c1)=H(c2)=1; H(c1,Y)=1, H(c2,Y)=2; I = 1 and 0.
  near(mf.get("class_ent"), 1);
  near(mf.get("attr_ent.mean"), 1);
  near(mf.get("joint_ent.max"), 2);
  near(mf.get("mut_inf.max"), 1);
  near(mf.get("mut_inf.min"), 0);
  near(mf.get("eq_num_attr"), 2);
  near(mf.get("ns_ratio"), 1);
});

Deno.test("numeric columns are discretised into the documented equal-width bins", () => {
  const x = Array.from({ length: 10 }, (_, i) => i);
  const y = x.map((v) => (v < 5 ? "lo" : "hi"));
  const ten = extractMetaFeatures({ x, y }, { target: "y", groups: ["info-theory"] });
  near(ten.get("attr_ent.mean"), Math.log2(10)); // one value per bin
  const two = extractMetaFeatures({ x, y }, { target: "y", groups: ["info-theory"], bins: 2 });
  near(two.get("attr_ent.mean"), 1); // bins [0, 4.5) and [4.5, 9]
  near(two.get("mut_inf.mean"), 1);
  assert.ok(Number.isNaN(two.get("mut_inf.sd")));
  assert.match(two.reasons["mut_inf.sd"], /sd needs at least 2/);
});

Deno.test("statistical group on perfectly correlated columns", () => {
  const mf = extractMetaFeatures({
    a: [1, 2, 3, 4],
    b: [2, 4, 6, 8],
    y: [0, 1, 0, 1],
  }, { target: "y", groups: ["statistical"], summary: ["mean", "max"] });
  near(mf.get("cor.mean"), 1);
  near(mf.get("nr_cor_attr"), 1);
  near(mf.get("cov.mean"), 10 / 3); // 2 · var(a) = 2 · 5/3
  near(mf.get("eigenvalues.max"), 25 / 3); // trace of [[5/3, 10/3], [10/3, 20/3]], det 0
  near(mf.get("sparsity.mean"), 0);
  assert.ok(Number.isNaN(mf.get("can_cor.mean")));
  assert.match(mf.reasons["can_cor.mean"], /collinear/);
  assert.match(mf.reasons["nr_norm"], /at least 8 rows/);
});

Deno.test("landmarkers are perfect on separable data; OLS R² is 1 on a line", () => {
  const x = [0, 1, 2, 3, 10, 11, 12, 13];
  const cls = extractMetaFeatures(
    { x, y: x.map((v) => (v < 5 ? "a" : "b")) },
    { target: "y", groups: ["landmarking"], folds: 2 },
  );
  for (const l of ["one_nn", "naive_bayes", "linear_discr", "best_node", "random_node"]) {
    assert.equal(cls.get(`${l}.mean`), 1, l);
    assert.equal(cls.get(`${l}.sd`), 0, l);
  }
  const reg = extractMetaFeatures(
    { x, y: x.map((v) => 2 * v + 1.5) },
    { target: "y", groups: ["landmarking"], folds: 2 },
  );
  near(reg.get("linear_discr.mean"), 1, 1e-12);
  assert.ok(reg.get("one_nn.mean") < 1);
  assert.match(reg.reasons["naive_bayes.mean"], /classification only/);
});

Deno.test("model-based group by hand: a stump and the XOR tree", () => {
  const stump = extractMetaFeatures(
    { x: [0, 1, 2, 3], y: ["a", "a", "b", "b"] },
    { target: "y", groups: ["model-based"], summary: ["mean"] },
  );
  assert.equal(stump.get("nodes"), 1);
  assert.equal(stump.get("leaves"), 2);
  assert.equal(stump.get("tree_depth"), 1);
  assert.equal(stump.get("var_importance.mean"), 1);
  assert.equal(stump.get("leaves_per_class.mean"), 0.5);
  // XOR: the root split has zero gain (allowed, as in scikit-learn), both children then split on
  // x2, so x2 carries all the importance.
  const xor = extractMetaFeatures(
    { x1: [0, 0, 1, 1], x2: [0, 1, 0, 1], y: ["a", "b", "b", "a"] },
    { target: "y", groups: ["model-based"], summary: ["min", "max"] },
  );
  assert.equal(xor.get("nodes"), 3);
  assert.equal(xor.get("leaves"), 4);
  assert.equal(xor.get("tree_depth"), 2);
  assert.equal(xor.get("var_importance.min"), 0);
  assert.equal(xor.get("var_importance.max"), 1);
  assert.equal(xor.get("nodes_per_level.max"), 2);
});

function iris() {
  return aq.fromCSV(
    Deno.readTextFileSync(new URL("../fixtures/metafeatures/iris.csv", import.meta.url)),
  );
}

Deno.test("same seed gives the same values; another seed changes only seeded measures", () => {
  const table = iris();
  const a = extractMetaFeatures(table, { target: "species", seed: 3 });
  const b = extractMetaFeatures(table, { target: "species", seed: 3 });
  assert.deepEqual(a.names, b.names);
  assert.deepEqual([...a.values], [...b.values]);
  const c = extractMetaFeatures(table, { target: "species", seed: 4 });
  const changed = a.names.filter((_, i) => !Object.is(a.values[i], c.values[i]));
  assert.ok(changed.length > 0, "folds depend on the seed");
  const seeded = ["one_nn", "naive_bayes", "linear_discr", "best_node", "random_node"];
  for (const n of changed) {
    assert.ok(seeded.includes(n.split(".")[0]) || n.startsWith("shallow"), n);
  }
});

Deno.test("names depend only on the options, so different tasks line up", () => {
  const a = extractMetaFeatures(iris(), { target: "species" });
  const reg = extractMetaFeatures(
    {
      x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      z: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8],
      y: [0.5, 1.5, 2, 3.1, 4, 5, 6, 7.2, 8, 9, 10, 11],
    },
    { target: "y" },
  );
  assert.deepEqual(a.names, reg.names);
  assert.match(reg.reasons["nr_class"], /classification only/);
});

Deno.test("arquero tables and plain columns give the same result; toTable and toObject", () => {
  const cols = { x: [1, 5, 2, 8, 3, 9, 4, 7], y: ["a", "b", "a", "b", "a", "b", "a", "b"] };
  const a = extractMetaFeatures(cols, { target: "y", folds: 2 });
  const b = extractMetaFeatures(aq.table(cols), { target: "y", folds: 2 });
  assert.deepEqual([...a.values], [...b.values]);
  const row = a.toTable();
  assert.equal(row.numRows(), 1);
  assert.deepEqual(row.columnNames(), [...a.names]);
  assert.equal(row.get("nr_inst", 0), 8);
  assert.deepEqual(Object.keys(a.toObject()), [...a.names]);
  assert.throws(() => a.get("nope"), /no meta-feature named 'nope'/);
});

Deno.test("custom extractors: appended, replacing, failing, task-restricted", () => {
  const table = { x: [1, 2, 3, 4], y: ["a", "b", "a", "b"] };
  const perClass: MetaFeatureExtractor = {
    group: "custom",
    name: "rows_per_class",
    kind: "scalar",
    compute: (ctx) => ctx.rows / ctx.classes.length,
  };
  const spread: MetaFeatureExtractor = {
    group: "custom",
    name: "spread",
    kind: "vector",
    compute: (ctx) => Float64Array.from(ctx.numericColumns()[0]),
  };
  const broken: MetaFeatureExtractor = {
    group: "custom",
    name: "broken",
    kind: "scalar",
    compute: () => {
      throw new Error("boom");
    },
  };
  const unavailable: MetaFeatureExtractor = {
    group: "custom",
    name: "needs_more",
    kind: "scalar",
    tasks: ["regression"],
    compute: () => {
      throw new MetaFeatureUnavailable("never reached");
    },
  };
  const mf = extractMetaFeatures(table, {
    target: "y",
    groups: ["custom"],
    summary: ["mean", "max"],
    extractors: [perClass, spread, broken, unavailable],
  });
  assert.deepEqual(mf.names, [
    "rows_per_class",
    "spread.mean",
    "spread.max",
    "broken",
    "needs_more",
  ]);
  assert.equal(mf.get("rows_per_class"), 2);
  assert.equal(mf.get("spread.max"), 4);
  assert.equal(mf.reasons.broken, "broken: failed: boom");
  assert.equal(mf.reasons.needs_more, "needs_more: defined for regression only");
  const only = extractMetaFeatures(table, {
    target: "y",
    extractors: [perClass],
    replaceDefaults: true,
  });
  assert.deepEqual(only.names, ["rows_per_class"]);
});

Deno.test("bad inputs give clear errors naming the column or option", () => {
  const ok = { x: [1, 2, 3, 4], y: ["a", "b", "a", "b"] };
  assert.throws(
    () => extractMetaFeatures(ok, { target: "label" }),
    /column 'label' is not in the table/,
  );
  assert.throws(() => extractMetaFeatures({ x: [], y: [] }, { target: "y" }), /empty/);
  assert.throws(
    () => extractMetaFeatures({ x: [1, 2], y: ["a", "a"] }, { target: "y" }),
    /'y' has a single class 'a'/,
  );
  assert.throws(
    () => extractMetaFeatures({ x: [1, 2], y: [null, ""] }, { target: "y" }),
    /'y' has no non-missing values/,
  );
  assert.throws(
    () => extractMetaFeatures(ok, { target: "y", task: "regression" }),
    /'y' has the non-numeric value 'a'/,
  );
  assert.throws(
    () => extractMetaFeatures({ x: [null, null], y: [0, 1] }, { target: "y" }),
    /column 'x' has no non-missing values/,
  );
  assert.throws(
    () => extractMetaFeatures({ x: [1, 2, 3], y: [0, 1] }, { target: "y" }),
    /column 'x' has 3 values but 'y' has 2/,
  );
  assert.throws(() => extractMetaFeatures({ y: [0, 1] }, { target: "y" }), /no feature columns/);
  assert.throws(() => extractMetaFeatures(ok, { target: "" }), /options\.target/);
  assert.throws(
    () => extractMetaFeatures(ok, { target: "y", groups: ["general", "nope"] }),
    /options\.groups\[1\]: unknown group 'nope'/,
  );
  assert.throws(
    () => extractMetaFeatures(ok, { target: "y", summary: ["mean", "avg"] }),
    /options\.summary\[1\]: unknown summary 'avg'/,
  );
  assert.throws(() => extractMetaFeatures(ok, { target: "y", seed: 1.5 }), /options\.seed/);
  assert.throws(() => extractMetaFeatures(ok, { target: "y", folds: 1 }), /options\.folds/);
  assert.throws(
    () => extractMetaFeatures(ok, { target: "y", extractors: [{ name: "x" } as never] }),
    /options\.extractors\[0\]/,
  );
  assert.throws(
    () =>
      extractMetaFeatures(ok, {
        target: "y",
        extractors: [{ group: "g", name: "nr_inst", kind: "scalar", compute: () => 1 }],
      }),
    /duplicate meta-feature 'nr_inst'/,
  );
  assert.throws(
    () => extractMetaFeatures(ok, { target: "y", colour: "red" } as never),
    /options/,
  );
});

Deno.test("a summary given twice or a meta-feature name from two extractors is an error, before computing", () => {
  const table = { x: [1, 2, 3, 4, 5, 6], y: ["a", "a", "a", "b", "b", "b"] };
  let computed = 0;
  const scalar = (name: string, group = "custom"): MetaFeatureExtractor => ({
    group,
    name,
    kind: "scalar",
    compute: () => ++computed,
  });
  assert.throws(
    () =>
      extractMetaFeatures(table, {
        target: "y",
        groups: ["info-theory", "custom"],
        summary: ["mean", "sd", "mean"],
        extractors: [scalar("probe")],
      }),
    { message: "options.summary[2]: duplicate summary 'mean' (options.summary[0])" },
  );
  // A custom scalar named like a summarised built-in output: both sources are named.
  assert.throws(
    () =>
      extractMetaFeatures(table, {
        target: "y",
        groups: ["info-theory", "custom"],
        extractors: [scalar("attr_ent.mean")],
      }),
    {
      message: "options.extractors: meta-feature 'attr_ent.mean' would come both from the " +
        "'mean' summary of the built-in vector extractor 'attr_ent' and from the scalar " +
        "extractor options.extractors[0] 'attr_ent.mean'",
    },
  );
  // Between two custom extractors (a vector's summary output and a scalar).
  const vector: MetaFeatureExtractor = {
    group: "custom",
    name: "v",
    kind: "vector",
    compute: () => Float64Array.of(++computed),
  };
  assert.throws(
    () =>
      extractMetaFeatures(table, {
        target: "y",
        summary: ["quantiles"],
        extractors: [vector, scalar("v.quantiles.4")],
        replaceDefaults: true,
      }),
    {
      message: "options.extractors: meta-feature 'v.quantiles.4' would come both from the " +
        "'quantiles' summary of the vector extractor options.extractors[0] 'v' and from the " +
        "scalar extractor options.extractors[1] 'v.quantiles.4'",
    },
  );
  assert.equal(computed, 0);
  // Only selected extractors count: without the info-theory group the name is free.
  const mf = extractMetaFeatures(table, {
    target: "y",
    groups: ["custom"],
    extractors: [scalar("attr_ent.mean")],
  });
  assert.deepEqual(mf.toObject(), { "attr_ent.mean": 1 });
});

Deno.test("degenerate tables give NaN with reasons, never an exception", () => {
  const tables: Record<string, unknown[]>[] = [
    { x: [1, 1, 1, 1], c: ["a", "a", "a", "a"], y: ["p", "q", "p", "q"] },
    { x: [1, 2], y: ["p", "q"] },
    { x: [1], y: [2.5] },
    { x: [1, 2, 3, 4, 5], y: [2.5, 2.5, 2.5, 2.5, 2.5] },
  ];
  for (const table of tables) {
    const mf = extractMetaFeatures(table, { target: "y" });
    mf.names.forEach((n, i) => {
      if (Number.isNaN(mf.values[i])) assert.ok(mf.reasons[n], `${n} has a reason`);
      assert.ok(!mf.reasons[n]?.includes("failed"), `${n}: ${mf.reasons[n]}`);
    });
  }
  const constant = extractMetaFeatures(tables[0], { target: "y" });
  assert.equal(constant.reasons["one_nn.mean"], "one_nn: no non-constant features");
  assert.equal(
    constant.reasons["skewness.mean"],
    "skewness: every value is NaN (e.g. constant features)",
  );
  assert.equal(
    constant.reasons["w_lambda"],
    "w_lambda: numeric features are collinear or constant",
  );
});

Deno.test("a table argument of the wrong type is named", () => {
  for (const bad of [5, null, undefined, "x", [1, 2], { y: 3 }]) {
    assert.throws(
      () => extractMetaFeatures(bad as never, { target: "y" }),
      /^TypeError: table: must be an arquero table or an object of column arrays/,
      String(bad),
    );
  }
});

Deno.test("a column of extreme magnitude (×1e300, ×1e-300) is not mistaken for a constant", () => {
  const x = Array.from({ length: 20 }, (_, i) => (i * 7919) % 13);
  const y = x.map((_, i) => (i % 2 ? "a" : "b"));
  const extract = (s: number) =>
    extractMetaFeatures(aq.table({ x: x.map((v) => v * s), y }), { target: "y", folds: 2 });
  const base = extract(1);
  const scaleFree = base.names.filter((n, i) =>
    /^(nodes|tree_depth|leaves|one_nn|best_node|random_node|worst_node|naive_bayes|linear_discr|elite_nn|nr_norm|skewness|kurtosis|can_cor|w_lambda)/
      .test(n) && Number.isFinite(base.values[i])
  );
  assert.ok(scaleFree.includes("nodes") && scaleFree.includes("one_nn.mean"));
  assert.equal(base.get("nodes"), 9);
  for (const s of [1e300, 1e-300]) {
    const mf = extract(s);
    for (const n of scaleFree) {
      if (/^(skewness|kurtosis|can_cor|w_lambda)/.test(n)) near(mf.get(n), base.get(n), 1e-12);
      else assert.equal(mf.get(n), base.get(n), `${n} at scale ${s}`);
    }
    near(mf.get("sd.mean") / s, base.get("sd.mean"), 1e-12);
    near(mf.get("mean.mean") / s, base.get("mean.mean"), 1e-12);
  }
  // var of values ~1e300 is ~1e601: NaN with the overflow reason, not "constant features".
  const huge = extract(1e300);
  assert.ok(Number.isNaN(huge.get("var.mean")));
  assert.match(huge.reasons["var.mean"], /overflow/);
});

Deno.test("an overflowing entry of a vector makes every summary NaN with an overflow reason", () => {
  const n = 40;
  const x1 = Array.from({ length: n }, (_, i) => Math.sin(i) * 10 * 1e300);
  const x2 = Array.from({ length: n }, (_, i) => (i * 7) % 13);
  const y = x2.map((_, i) => ["a", "b", "c"][i % 3]);
  const summary = ["mean", "sd", "count", "max"];
  const mf = extractMetaFeatures({ x1, x2, y }, { target: "y", groups: ["statistical"], summary });
  // x1's variance (~1e601) overflows: the summaries are unknown, not those of x2 alone (14.9).
  for (const measure of ["var", "eigenvalues"]) {
    for (const s of summary) {
      const name = `${measure}.${s}`;
      assert.ok(Number.isNaN(mf.get(name)), name);
      assert.equal(
        mf.reasons[name],
        `${measure}: not finite (Infinity in 1 of 2 values; overflow)`,
      );
    }
  }
  // sd is mapped back without overflow: both entries are summarised.
  assert.equal(mf.get("sd.count"), 2);

  // The rule itself, on a custom vector: ±Infinity is an overflow, NaN a missing entry.
  const vector = (values: number[]): MetaFeatureExtractor => ({
    group: "custom",
    name: "v",
    kind: "vector",
    compute: () => Float64Array.from(values),
  });
  const run = (values: number[]) =>
    extractMetaFeatures({ x: [1, 2, 3, 4], y: ["a", "b", "a", "b"] }, {
      target: "y",
      groups: ["custom"],
      summary: ["mean", "count", "min"],
      extractors: [vector(values)],
    });
  const overflow = run([1, -Infinity, NaN, 3]);
  assert.deepEqual([...overflow.values], [NaN, NaN, NaN]);
  assert.deepEqual(Object.values(overflow.reasons), [
    "v: not finite (-Infinity in 1 of 4 values; overflow)",
    "v: not finite (-Infinity in 1 of 4 values; overflow)",
    "v: not finite (-Infinity in 1 of 4 values; overflow)",
  ]);
  const gap = run([1, NaN, 3]);
  assert.deepEqual(gap.toObject(), { "v.mean": 2, "v.count": 2, "v.min": 1 });
  assert.deepEqual(gap.reasons, {});
  assert.match(run([NaN, NaN]).reasons["v.mean"], /every value is NaN/);
});

Deno.test("summaries of per-feature values beyond 1e154 are finite when the true value is", () => {
  const n = 50;
  const big = Array.from({ length: n }, (_, i) => 1e200 * Math.sin(i + 1));
  const small = Array.from({ length: n }, (_, i) => Math.cos(i + 1));
  const y = Array.from({ length: n }, (_, i) => (i % 2 ? "a" : "b"));
  const mf = extractMetaFeatures({ big, small, y }, {
    target: "y",
    groups: ["statistical"],
    summary: ["mean", "sd", "max", "min", "sum"],
  });
  // sd of two values is |a − b| / √2 (about 5.06e199), not an overflow of (a − b)².
  const [hi, lo] = [mf.get("sd.max"), mf.get("sd.min")];
  near(mf.get("sd.sd"), (hi - lo) / Math.SQRT2);
  near(mf.get("range.sd"), (mf.get("range.max") - mf.get("range.min")) / Math.SQRT2);
  near(mf.get("max.sd"), (mf.get("max.max") - mf.get("max.min")) / Math.SQRT2);
  for (const name of ["sd.sd", "range.sd", "max.sd", "sd.sum", "sd.mean"]) {
    assert.ok(Number.isFinite(mf.get(name)), name);
    assert.equal(mf.reasons[name], undefined, name);
  }
  // A variance that is not representable (~1e400) still overflows, with the reason.
  assert.ok(Number.isNaN(mf.get("var.sd")));
  assert.match(mf.reasons["var.sd"], /^var: not finite \(Infinity in 1 of 2 values; overflow\)$/);
});

Deno.test("eigenvalues of a table wider than the Jacobi route: trace identity and overflow", () => {
  const p = 300, n = 40;
  const columns: Record<string, number[]> = {};
  for (let j = 0; j < p; j++) {
    columns[`x${j}`] = Array.from({ length: n }, (_, i) => Math.sin(i * (j + 1) * 0.37) + j / p);
  }
  const y = Array.from({ length: n }, (_, i) => ["a", "b"][i % 2]);
  const options = {
    target: "y",
    summary: ["mean", "count", "min"],
    extractors: [],
    groups: ["statistical"],
  };
  const mf = extractMetaFeatures({ ...columns, y }, options);
  // Σλ = trace of the covariance = Σ var; rank ≤ n − 1, so most eigenvalues are 0.
  near(mf.get("eigenvalues.mean"), mf.get("var.mean"), 1e-12);
  assert.equal(mf.get("eigenvalues.count"), p);
  assert.ok(Math.abs(mf.get("eigenvalues.min")) < 1e-12 * mf.get("var.mean"));
  // An overflowing variance shows as an overflow, as below the threshold.
  columns.x0 = columns.x0.map((v) => v * 1e300);
  const huge = extractMetaFeatures({ ...columns, y }, options);
  assert.ok(Number.isNaN(huge.get("eigenvalues.mean")));
  assert.equal(
    huge.reasons["eigenvalues.mean"],
    `eigenvalues: not finite (Infinity in 1 of ${p} values; overflow)`,
  );
});

Deno.test("equal-width bins of values whose span overflows are those of the same values unscaled", () => {
  const n = 40;
  const s = Array.from({ length: n }, (_, i) => 1.9 * Math.sin(i));
  const x2 = Array.from({ length: n }, (_, i) => (i * 7) % 13);
  const huge = s.map((v) => v * 2 ** 1023); // exact scaling; max − min ≈ 3.8 · 2^1023 overflows
  assert.ok(!Number.isFinite(Math.max(...huge) - Math.min(...huge)));
  const info = (x1: number[], y: number[]) =>
    extractMetaFeatures({ x1, x2, y }, {
      target: "y",
      task: "regression",
      groups: ["info-theory"],
      summary: ["min", "max"],
    });
  const base = info(s, s);
  assert.ok(base.get("class_ent") > 3);
  // a regression target near the float64 limit: not collapsed into one bin (class_ent 0)
  assert.deepEqual(info(s, huge).toObject(), base.toObject());
  // a feature near the float64 limit
  assert.deepEqual(info(huge, s).toObject(), base.toObject());
  assert.deepEqual(info(huge, huge).toObject(), base.toObject());
});

Deno.test("a landmarker that cannot be fitted on a fold gives one reason, whatever the fold", () => {
  const n = 40;
  const x1 = Array.from({ length: n }, (_, i) => Math.sin(i));
  const x3 = Array.from({ length: n }, (_, i) => (i * 7) % 13);
  const y = x1.map((v, i) => (v > 0 ? "a" : i % 2 ? "b" : "c"));
  for (const seed of [0, 1, 2]) {
    // x2 = 2·x1: the within-class covariance is singular on every training set
    const mf = extractMetaFeatures({ x1, x2: x1.map((v) => 2 * v), x3, y }, {
      target: "y",
      groups: ["landmarking"],
      folds: 4,
      seed,
    });
    assert.equal(
      mf.reasons["linear_discr.mean"],
      "linear_discr: cannot be fitted on a training fold (singular system)",
    );
  }
});
