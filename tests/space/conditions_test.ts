/**
 * Conditional parameters: definitions checked with errors naming the field, inactive parameters
 * absent from configurations (space, ask/tell, minimize with batches, pool mode, stored SQLite
 * studies), canonical encodings (INACTIVE_VALUE), JSON round trips, and a property test of the
 * round trip on random conditional spaces.
 */
import assert from "node:assert/strict";
import {
  categorical,
  defineSpace,
  fixed,
  float,
  INACTIVE_VALUE,
  int,
  type ParamDefinition,
  type ParamsOf,
  Rng,
  type Space,
  spaceFromJSON,
  when,
} from "../../lib/space/mod.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { createStudy, loadStudy } from "../../lib/storage/mod.ts";
import { fc } from "../_fast_check.ts";

const space = defineSpace({
  optimizer: categorical(["sgd", "adam", "rmsprop"]),
  lr: float(1e-4, 1e-1, { log: true }),
  momentum: when({ optimizer: ["sgd", "rmsprop"] }, float(0, 0.99)),
  nesterov: when({ optimizer: "sgd" }, categorical([true, false])),
  dampening: when({ nesterov: false }, float(0, 0.5)),
  beta1: when({ optimizer: "adam" }, float(0.8, 0.999)),
  layers: int(1, 3),
  width2: when({ layers: [2, 3] }, int(8, 64, { log: true })),
  epochs: fixed(3),
});

/** Whether a configuration has exactly the keys its parent values make active. */
function expectedKeys(p: Record<string, unknown>): string[] {
  const keys = ["optimizer", "lr"];
  if (p.optimizer === "sgd" || p.optimizer === "rmsprop") keys.push("momentum");
  if (p.optimizer === "sgd") keys.push("nesterov");
  if (p.optimizer === "sgd" && p.nesterov === false) keys.push("dampening");
  if (p.optimizer === "adam") keys.push("beta1");
  keys.push("layers");
  if (p.layers === 2 || p.layers === 3) keys.push("width2");
  keys.push("epochs");
  return keys;
}

function assertActiveOnly(p: Record<string, unknown>): void {
  assert.deepEqual(Object.keys(p), expectedKeys(p), JSON.stringify(p));
}

Deno.test("conditions: inactive parameters are absent and their columns hold INACTIVE_VALUE", () => {
  assert.equal(space.conditional, true);
  assert.equal(defineSpace({ x: float(0, 1) }).conditional, false);
  assert.equal(INACTIVE_VALUE, 0.5);
  const adam: ParamsOf<typeof space> = {
    optimizer: "adam",
    lr: 0.01,
    beta1: 0.9,
    layers: 1,
    epochs: 3,
  };
  const u = space.encode(adam);
  const info = Object.fromEntries(space.params.map((p) => [p.name, p]));
  for (const name of ["momentum", "nesterov", "dampening", "width2"]) {
    assert.equal(info[name].conditional, true);
    for (const j of info[name].columns) assert.equal(u[j], INACTIVE_VALUE, name);
  }
  assert.equal(info.lr.conditional, false);
  const decoded = space.decode(u);
  assert.deepEqual(Object.keys(decoded), ["optimizer", "lr", "beta1", "layers", "epochs"]);
  assert.ok(Math.abs(decoded.lr! - 0.01) < 1e-12);
  const mask = space.activeColumns(u);
  for (const p of space.params) {
    const on = ["optimizer", "lr", "beta1", "layers"].includes(p.name) ? 1 : 0;
    for (const j of p.columns) assert.equal(mask[j], on, p.name);
  }
  // Whatever inactive columns hold, projection restores the canonical value.
  const noisy = u.slice();
  for (const j of info.momentum.columns.concat(info.nesterov.columns)) noisy[j] = 0.123;
  assert.deepEqual(space.project(noisy), u);
  assert.deepEqual(space.decode(noisy), decoded);
  assert.deepEqual(defineSpace({ x: float(0, 1) }).activeColumns([0.3]), Uint8Array.of(1));
});

Deno.test("conditions: chains, AND of several parents and int parents", () => {
  const sgd = {
    optimizer: "sgd",
    lr: 0.01,
    momentum: 0.9,
    nesterov: false,
    dampening: 0.1,
    layers: 2,
    width2: 16,
    epochs: 3,
  } as const;
  const back = space.decode(space.encode(sgd));
  assertActiveOnly(back);
  assert.equal(back.dampening !== undefined && Math.abs(back.dampening - 0.1) < 1e-12, true);
  assert.equal(back.width2, 16);
  const and = defineSpace({
    a: categorical(["x", "y"]),
    b: categorical([1, 2, 3]),
    c: when({ a: "x", b: [2, 3] }, float(0, 1)),
  });
  assert.deepEqual(Object.keys(and.decode([1, 0, 0, 1, 0, 0.3])), ["a", "b", "c"]);
  assert.deepEqual(Object.keys(and.decode([1, 0, 1, 0, 0, 0.3])), ["a", "b"]);
  assert.deepEqual(Object.keys(and.decode([0, 1, 0, 1, 0, 0.3])), ["a", "b"]);
  // A fixed parent whose value matches: always active.
  const withFixed = defineSpace({ k: fixed("on"), x: when({ k: "on" }, float(0, 1)) });
  assert.deepEqual(withFixed.decode([0.25]), { k: "on", x: 0.25 });
  // Parents may be declared after their children.
  const late = defineSpace({ x: when({ a: "y" }, float(0, 1)), a: categorical(["x", "y"]) });
  assert.deepEqual(late.decode([0.4, 0, 1]), { x: 0.4, a: "y" });
  assert.deepEqual(late.decode([0.4, 1, 0]), { a: "x" });
});

Deno.test("conditions: validate rejects inactive keys and missing active keys, naming the field", () => {
  assert.throws(
    () =>
      space.validate({
        optimizer: "adam",
        lr: 0.01,
        beta1: 0.9,
        momentum: 0.5,
        layers: 1,
        epochs: 3,
      }),
    /params\.momentum: inactive \(requires optimizer in \["sgd", "rmsprop"\]\)/,
  );
  assert.throws(
    () => space.validate({ optimizer: "sgd", lr: 0.01, momentum: 0.5, layers: 1, epochs: 3 }),
    /params\.nesterov: missing/,
  );
  assert.throws(
    () =>
      space.validate({
        optimizer: "sgd",
        lr: 0.01,
        momentum: 0.5,
        nesterov: true,
        dampening: 0.1,
        layers: 1,
        epochs: 3,
      }),
    /params\.dampening: inactive \(requires nesterov = false\)/,
  );
  // An inactive key given as undefined counts as absent.
  const ok = space.validate({
    optimizer: "adam",
    lr: 0.01,
    beta1: 0.9,
    momentum: undefined,
    layers: 1,
    epochs: 3,
  });
  assert.deepEqual(Object.keys(ok), ["optimizer", "lr", "beta1", "layers", "epochs"]);
  assert.equal(space.contains({ optimizer: "adam", lr: 0.01, layers: 1, epochs: 3 }), false);
  assert.throws(
    () =>
      space.validate({ optimizer: "adam", lr: 0.01, beta1: 0.9, layers: 1, epochs: 3, extra: 1 }),
    /params\.extra: unknown key/,
  );
});

Deno.test("conditions: bad definitions are errors naming the field", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { a: categorical(["x", "y"]), b: when({ c: "x" }, float(0, 1)) },
      /space\.b\.when\.c: unknown parameter "c"/,
    ],
    [
      { a: categorical(["x", "y"]), b: when({ a: "z" }, float(0, 1)) },
      /space\.b\.when\.a: "z" is not a value "a" can take \(one of "x", "y"\)/,
    ],
    [
      { a: categorical(["x", "y"]), b: when({ a: ["x", "w"] }, float(0, 1)) },
      /space\.b\.when\.a\[1\]: "w"/,
    ],
    [
      { a: categorical(["x", "y"]), b: when({ a: ["x", "x"] }, float(0, 1)) },
      /space\.b\.when\.a\[1\]: duplicate value "x"/,
    ],
    [{ a: float(0, 1), b: when({ a: 0.5 }, float(0, 1)) }, /space\.b\.when\.a: "a" is a float/],
    [
      { a: int(1, 4), b: when({ a: [2, 5] }, float(0, 1)) },
      /space\.b\.when\.a\[1\]: 5 is not a value "a" can take \(an integer in \[1, 4\]\)/,
    ],
    [
      { a: int(0, 8, { step: 2 }), b: when({ a: 3 }, float(0, 1)) },
      /space\.b\.when\.a: 3 .*grid of step 2/,
    ],
    [{ a: fixed(3), b: when({ a: 4 }, float(0, 1)) }, /space\.b\.when\.a: 4 .*fixed at 3/],
    [
      {
        a: when({ b: "x" }, categorical(["x", "y"])),
        b: when({ a: "x" }, categorical(["x", "y"])),
      },
      /space\.a\.when\.b: cycle of conditions: a → b → a/,
    ],
    [
      { a: when({ a: "x" }, categorical(["x", "y"])) },
      /space\.a\.when\.a: cycle of conditions: a → a/,
    ],
    [
      {
        a: categorical(["x", "y"]),
        b: when({ a: "x" }, categorical(["u", "v"])),
        c: when({ a: "y", b: "u" }, float(0, 1)),
      },
      /space\.c\.when: never active: .*"a" to be one of "y" and one of "x"|space\.c\.when: never active: .*"a" to be one of "x" and one of "y"/,
    ],
    [
      { a: categorical(["x"]), b: { kind: "float", low: 0, high: 1, when: {} } },
      /space\.b\.when: must name at least one parent/,
    ],
    [
      { a: categorical(["x"]), b: { kind: "float", low: 0, high: 1, when: { a: [] } } },
      /space\.b\.when\.a: must list at least one value/,
    ],
    [
      { a: categorical(["x"]), b: { kind: "float", low: 0, high: 1, when: { a: null } } },
      /space\.b\.when\.a: must be a value/,
    ],
    [{ a: categorical(["x"]), b: { kind: "float", low: 0, high: 1, when: "a" } }, /space\.b\.when/],
  ];
  for (const [definition, pattern] of cases) {
    assert.throws(() => defineSpace(definition as never), pattern, String(pattern));
  }
  assert.throws(
    () => when({ a: "x" }, when({ a: "y" }, float(0, 1))),
    /when\.condition\.a: the parameter already has a condition/,
  );
  assert.deepEqual(when({ b: 1 }, when({ a: "y" }, float(0, 1))).when, { a: "y", b: 1 });
  assert.throws(() => when([] as never, float(0, 1)), /when\.condition: must be an object/);
});

Deno.test("conditions: JSON round trip, bad JSON conditions name the field", () => {
  const copy = spaceFromJSON(JSON.parse(JSON.stringify(space)));
  assert.equal(copy.conditional, true);
  assert.deepEqual(copy.toJSON(), space.toJSON());
  const rng = new Rng(3);
  for (const u of space.sampleEncoded(32, rng)) {
    assert.deepEqual(copy.project(u), space.project(u));
    assert.deepEqual(copy.decode(u), space.decode(u));
  }
  const json = space.toJSON();
  const bad = {
    ...json,
    params: json.params.map((p) =>
      p.name === "momentum" ? { ...p, when: { optimiser: "sgd" } } : p
    ),
  };
  assert.throws(
    () => spaceFromJSON(bad),
    /spaceJSON\.params\[\d+\]\.when\.optimiser: unknown parameter/,
  );
});

Deno.test("conditions: samples and designs are canonical, decode ∘ encode and project are idempotent", () => {
  for (const method of ["sobol", "lhs", "uniform"] as const) {
    const points = space.sampleEncoded(64, new Rng(1), method);
    const seen = new Set<string>();
    for (const u of points) {
      assert.deepEqual(space.project(u), u);
      const p = space.decode(u);
      assertActiveOnly(p);
      assert.deepEqual(space.encode(p), u);
      seen.add(p.optimizer);
    }
    assert.equal(seen.size, 3);
  }
  const rng = new Rng(2);
  for (let i = 0; i < 200; i++) {
    const raw = rng.uniforms(space.dim);
    const once = space.project(raw);
    assert.deepEqual(space.project(once), once);
    assert.deepEqual(space.decode(raw), space.decode(once));
  }
});

Deno.test("conditions: inactive parameters never reach the objective (ask/tell, q > 1, GP)", async () => {
  const objective = (p: ParamsOf<typeof space>) => {
    assertActiveOnly(p);
    return Math.log10(p.lr) ** 2 + (p.momentum ?? 0.5) + (p.beta1 ?? 0) + (p.width2 ?? 0) / 64;
  };
  const study = new SMBO(space, { seed: 0, proposer: bayesOpt({ rawSamples: 64, restarts: 2 }) });
  for (let i = 0; i < 14; i++) {
    const batch = study.ask(i < 10 ? 1 : 2);
    for (const trial of batch) study.tell(trial, objective(trial.params));
  }
  assertActiveOnly(study.best.params);
  for (const t of study.trials) assertActiveOnly(t.params);
  // minimize turns a throw of the objective into a failed trial: record what it saw and check
  // it here, and require every trial to have completed.
  const seen: ParamsOf<typeof space>[] = [];
  const result = await minimize(
    (p) => {
      seen.push({ ...p });
      return objective(p);
    },
    space,
    {
      budget: 16,
      batchSize: 3,
      seed: 4,
      initialDesignSize: 5,
      bayesOpt: { rawSamples: 64, restarts: 2 },
    },
  );
  assert.equal(result.trials.length, 16);
  for (const t of result.trials) assert.equal(t.status, "complete", t.error);
  assert.equal(seen.length, 16);
  for (const p of seen) assertActiveOnly(p);
  assert.ok(result.trials.some((t) => t.source === "model"));
  assertActiveOnly(result.best.params);
});

Deno.test("conditions: the GP's proposals are canonical points, the same seed gives the same proposals", () => {
  const seen: Float64Array[][] = [];
  const spy = bayesOpt({ rawSamples: 64, restarts: 2 });
  const recording = {
    name: spy.name,
    propose: (context: Parameters<typeof spy.propose>[0], q: number) => {
      for (const point of context.points) assert.deepEqual(space.project(point), point);
      const points = spy.propose(context, q);
      for (const point of points) assert.deepEqual(space.project(point), point);
      return points;
    },
  };
  const run = () => {
    const study = new SMBO(space, { seed: 11, proposer: recording });
    const points: Float64Array[] = [];
    for (let i = 0; i < 12; i++) {
      for (const trial of study.ask(2)) {
        points.push(space.encode(trial.params));
        study.tell(trial, (trial.params.momentum ?? 0.3) + trial.params.layers / 10);
      }
    }
    return points;
  };
  seen.push(run(), run());
  assert.deepEqual(seen[0], seen[1]);
});

Deno.test("conditions: pool mode compares canonical points", () => {
  const candidates = space.sample(12, new Rng(5));
  const study = new SMBO(space, {
    seed: 0,
    proposer: bayesOpt({ rawSamples: 32, restarts: 1 }),
    candidates,
    initialDesignSize: 3,
  });
  const asked: string[] = [];
  while (!study.exhausted) {
    for (const trial of study.ask(Math.min(2, study.remaining))) {
      assertActiveOnly(trial.params);
      asked.push(JSON.stringify(trial.params));
      study.tell(trial, trial.params.lr);
    }
  }
  assert.deepEqual(asked.toSorted(), candidates.map((c) => JSON.stringify(c)).toSorted());
  // A candidate carrying an inactive key is an error naming it.
  assert.throws(
    () =>
      new SMBO(space, {
        proposer: randomSearch(),
        candidates: [{ ...candidates.find((c) => c.optimizer === "adam")!, momentum: 0.5 }],
      }),
    /candidates\[0\]: params\.momentum: inactive/,
  );
});

Deno.test("conditions: a stored SQLite study keeps and reloads its conditional space", async () => {
  const dir = await Deno.makeTempDir();
  const storage = `sqlite:${dir}/conditional.db`;
  try {
    const study = await createStudy({
      storage,
      name: "cond",
      space,
      seed: 0,
      initialDesignSize: 4,
      bayesOpt: { rawSamples: 32, restarts: 1 },
    });
    for (let i = 0; i < 3; i++) {
      for (const trial of await study.ask(2)) {
        assertActiveOnly(trial.params);
        await study.tell(trial, trial.params.lr + (trial.params.momentum ?? 0));
      }
    }
    await study.close();
    const again = await loadStudy({
      storage,
      name: "cond",
      bayesOpt: { rawSamples: 32, restarts: 1 },
    });
    assert.equal((again.space as Space).conditional, true);
    for (const t of again.trials) assertActiveOnly(t.params as Record<string, unknown>);
    const next = await again.ask();
    assertActiveOnly(next.params as Record<string, unknown>);
    await again.tell(next, 1);
    assertActiveOnly(again.best.params as Record<string, unknown>);
    await again.close();
    const run = await minimize(
      (p) => {
        assertActiveOnly(p);
        return p.lr;
      },
      space,
      {
        storage,
        study: "run",
        budget: 8,
        batchSize: 2,
        seed: 1,
        bayesOpt: { rawSamples: 32, restarts: 1 },
      },
    );
    assert.equal(run.trials.length, 8);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A random conditional space: categorical and int parents, numeric and categorical children. */
const arbitrarySpace = fc.array(
  fc.record({
    kind: fc.constantFrom("float", "log", "int", "grid", "categorical", "fixed"),
    levels: fc.integer({ min: 1, max: 4 }),
    parent: fc.nat(),
    values: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 2 }),
    conditional: fc.boolean(),
  }),
  { minLength: 1, maxLength: 7 },
).map((specs) => {
  const definition: Record<string, ParamDefinition> = {};
  const discrete: { name: string; values: (string | number)[] }[] = [];
  specs.forEach((spec, i) => {
    const name = `p${i}`;
    let param: ParamDefinition;
    let values: (string | number)[] | undefined;
    switch (spec.kind) {
      case "float":
        param = float(-1, 2);
        break;
      case "log":
        param = float(1e-3, 10, { log: true });
        break;
      case "int":
        values = Array.from({ length: spec.levels + 1 }, (_, k) => k);
        param = int(0, spec.levels);
        break;
      case "grid":
        param = float(0, 1, { step: 0.25 });
        break;
      case "categorical":
        values = Array.from({ length: spec.levels }, (_, k) => `c${k}`);
        param = categorical(values);
        break;
      default:
        values = [7];
        param = fixed(7);
    }
    if (spec.conditional && discrete.length > 0) {
      const parent = discrete[spec.parent % discrete.length];
      const chosen = [...new Set(spec.values.map((v) => parent.values[v % parent.values.length]))];
      param = when({ [parent.name]: chosen }, param);
    }
    definition[name] = param;
    if (values) discrete.push({ name, values });
  });
  return defineSpace(definition);
});

Deno.test("conditions: property: decode ∘ encode and project round trip on random conditional spaces", () => {
  fc.assert(
    fc.property(arbitrarySpace, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (s, seed) => {
      const copy = spaceFromJSON(JSON.parse(JSON.stringify(s)));
      const rng = new Rng(seed);
      for (let i = 0; i < 8; i++) {
        const raw = rng.uniforms(s.dim);
        const u = s.project(raw);
        assert.deepEqual(s.project(u), u);
        const p = s.decode(raw);
        assert.deepEqual(s.decode(u), p);
        assert.deepEqual(s.encode(s.validate(p)), u);
        assert.deepEqual(copy.project(raw), u);
        const mask = s.activeColumns(u);
        for (const param of s.params) {
          for (const j of param.columns) {
            assert.equal(mask[j], Object.hasOwn(p, param.name) ? 1 : 0);
            if (mask[j] === 0) assert.equal(u[j], INACTIVE_VALUE);
          }
        }
      }
    }),
    { numRuns: 200, seed: 42 },
  );
});

Deno.test("conditions: a parent named __proto__ is kept, alone or with others", () => {
  const both = JSON.parse('{"__proto__": "x", "k": "a"}');
  const space = defineSpace({
    ["__proto__"]: categorical(["x", "y"]),
    k: categorical(["a", "b"]),
    c: when(both, float(0, 1)),
  } as never) as unknown as Space;
  assert.deepEqual(Object.keys(space.definition.c.when!), ["__proto__", "k"]);
  const u = Float64Array.of(0, 1, 1, 0, 0.3); // __proto__ = "y", k = "a"
  assert.equal(Object.hasOwn(space.decode(u), "c"), false);
  assert.equal(space.contains(JSON.parse('{"__proto__": "y", "k": "a", "c": 0.3}')), false);
  assert.ok(space.contains(JSON.parse('{"__proto__": "x", "k": "a", "c": 0.3}')));
  const copy = spaceFromJSON(JSON.parse(JSON.stringify(space)));
  assert.deepEqual(copy.toJSON(), space.toJSON());
  const alone = defineSpace({
    ["__proto__"]: categorical(["x", "y"]),
    c: when(JSON.parse('{"__proto__": "x"}'), float(0, 1)),
  } as never) as unknown as Space;
  assert.deepEqual(Object.keys(alone.definition.c.when!), ["__proto__"]);
  assert.throws(
    () => defineSpace({ c: when(JSON.parse('{"__proto__": "x"}'), float(0, 1)) }),
    /space\.c\.when\.__proto__: unknown parameter "__proto__"/,
  );
});

Deno.test("project and activeColumns write into a given array (the point itself for project) as they would return a new one", () => {
  const space = defineSpace({
    optimizer: categorical(["sgd", "adam", "rmsprop"]),
    lr: float(1e-4, 1e-1, { log: true }),
    momentum: when({ optimizer: "sgd" }, float(0, 0.99)),
    nesterov: when({ optimizer: "sgd" }, categorical([true, false])),
    beta1: when({ optimizer: "adam" }, float(0.8, 0.999)),
    units: int(8, 256, { log: true }),
  });
  const plain = defineSpace({ x: float(0, 1), n: int(1, 5), c: categorical(["a", "b"]) });
  const rng = new Rng(11);
  const mask = new Uint8Array(space.dim).fill(1);
  for (const s of [space, plain]) {
    const reused = new Uint8Array(s.dim).fill(1);
    for (let i = 0; i < 200; i++) {
      const u = rng.uniforms(s.dim);
      const fresh = s.project(u);
      const into = new Float64Array(s.dim).fill(7);
      assert.equal(s.project(u, into), into);
      assert.deepEqual(into, fresh);
      const inPlace = u.slice();
      assert.equal(s.project(inPlace, inPlace), inPlace);
      assert.deepEqual(inPlace, fresh);
      // A reused mask: columns set by the point before are cleared where inactive now.
      assert.equal(s.activeColumns(u, reused), reused);
      assert.deepEqual(reused, s.activeColumns(u));
    }
  }
  assert.throws(() => space.project(new Float64Array(space.dim), new Float64Array(2)), {
    name: "TypeError",
    message: `project.out: must be a Float64Array of length ${space.dim}`,
  });
  assert.throws(() => space.activeColumns(new Float64Array(space.dim), mask.subarray(1)), {
    name: "TypeError",
    message: `activeColumns.out: must be a Uint8Array of length ${space.dim}`,
  });
});
