import assert from "node:assert/strict";
import {
  boxSpace,
  canonicalSpaceJSON,
  categorical,
  defineSpace,
  DESIGN_DEFAULTS,
  fixed,
  float,
  initialDesign,
  int,
  type ParamsOf,
  Rng,
  sameSpace,
  SAMPLE_METHODS,
  type Space,
  SPACE_DEFAULTS,
  spaceFromJSON,
  unitCube,
  unitCubeDesign,
  when,
} from "../../lib/space/mod.ts";

const mixed = defineSpace({
  lr: float(1e-5, 1e-1, { log: true }),
  units: int(8, 256),
  act: categorical(["relu", "tanh", "gelu"]),
  epochs: fixed(3),
  width: int(1, 1000, { log: true }),
  dropout: float(0, 0.5),
  momentum: float(0.5, 0.9, { step: 0.1 }),
  batch: int(16, 128, { step: 16 }),
  bias: categorical([true, false]),
});

const close = (a: number, b: number, rel = 1e-12) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("space: names, dimension, columns, types and levels", () => {
  assert.deepEqual(mixed.names, [
    "lr",
    "units",
    "act",
    "epochs",
    "width",
    "dropout",
    "momentum",
    "batch",
    "bias",
  ]);
  assert.equal(mixed.dim, 11);
  const info = Object.fromEntries(mixed.params.map((p) => [p.name, p]));
  assert.deepEqual(info.lr.columns, [0]);
  assert.equal(info.lr.type, "continuous");
  assert.deepEqual(info.act.columns, [2, 3, 4]);
  assert.equal(info.act.type, "categorical");
  assert.equal(info.act.levels, 3);
  assert.deepEqual(info.epochs.columns, []);
  assert.equal(info.epochs.type, "fixed");
  assert.equal(info.units.levels, 249);
  assert.equal(info.width.levels, 1000);
  assert.equal(info.momentum.type, "integer");
  assert.equal(info.momentum.levels, 5);
  assert.equal(info.batch.levels, 8);
  assert.deepEqual(mixed.columnTypes, [
    "continuous",
    "integer",
    "categorical",
    "categorical",
    "categorical",
    "integer",
    "continuous",
    "integer",
    "integer",
    "categorical",
    "categorical",
  ]);
});

Deno.test("space: encoding follows the documented formulas", () => {
  const u = mixed.encode({
    lr: 1e-3,
    units: 8,
    act: "gelu",
    epochs: 3,
    width: 10,
    dropout: 0.125,
    momentum: 0.7,
    batch: 128,
    bias: false,
  });
  close(u[0], 0.5); // ln(1e-3) is halfway between ln(1e-5) and ln(1e-1)
  close(u[1], 0.5 / 249);
  assert.deepEqual(Array.from(u.subarray(2, 5)), [0, 0, 1]);
  close(u[5], (Math.log(10) - Math.log(0.5)) / (Math.log(1000.5) - Math.log(0.5)));
  close(u[6], 0.25);
  close(u[7], 2.5 / 5);
  close(u[8], 7.5 / 8);
  assert.deepEqual(Array.from(u.subarray(9)), [0, 1]);
});

Deno.test("space: integers own equal-width intervals; clamping outside [0, 1]", () => {
  const s = defineSpace({ k: int(0, 3) });
  const at = (u: number) => s.decode(Float64Array.of(u)).k;
  assert.deepEqual([0, 0.2499, 0.25, 0.4999, 0.5, 0.75, 0.9999, 1].map(at), [
    0,
    0,
    1,
    1,
    2,
    3,
    3,
    3,
  ]);
  assert.equal(at(-4), 0);
  assert.equal(at(9), 3);
});

Deno.test("space: log integers own [ln(k - 1/2), ln(k + 1/2)]", () => {
  const s = defineSpace({ k: int(1, 100, { log: true }) });
  const lo = Math.log(0.5);
  const width = Math.log(100.5) - lo;
  const uOf = (x: number) => (Math.log(x) - lo) / width;
  for (const k of [1, 2, 3, 10, 57, 100]) {
    assert.equal(s.decode(Float64Array.of(uOf(k - 0.5 + 1e-9))).k, k);
    assert.equal(s.decode(Float64Array.of(uOf(k + 0.5 - 1e-9))).k, k);
  }
});

Deno.test("space: categorical ties decode to the first choice", () => {
  const s = defineSpace({ c: categorical(["a", "b", "c"]) });
  assert.equal(s.decode(Float64Array.of(0.3, 0.3, 0.1)).c, "a");
  assert.equal(s.decode(Float64Array.of(0.1, 0.3, 0.3)).c, "b");
  assert.equal(s.decode(Float64Array.of(0, 0, 0)).c, "a");
});

Deno.test("space: round trips of every discrete value and of random floats", () => {
  const s = defineSpace({
    i: int(-3, 7),
    li: int(1, 60, { log: true }),
    c: categorical(["x", 2, true]),
    g: float(-1, 1, { step: 0.25 }),
    b: int(0, 90, { step: 15 }),
  });
  for (let k = 0; k < 60; k++) {
    const p = {
      i: -3 + (k % 11),
      li: 1 + k,
      c: (["x", 2, true] as const)[k % 3],
      g: -1 + 0.25 * (k % 9),
      b: 15 * (k % 7),
    };
    assert.deepEqual(s.decode(s.encode(p)), p);
  }
  const f = defineSpace({ a: float(-3, 1e4), l: float(1e-8, 1e3, { log: true }) });
  const rng = new Rng(5);
  for (let k = 0; k < 500; k++) {
    const p = {
      a: rng.uniformIn(-3, 1e4),
      l: Math.exp(rng.uniformIn(Math.log(1e-8), Math.log(1e3))),
    };
    const back = f.decode(f.encode(p));
    close(back.a, p.a);
    close(back.l, p.l);
  }
  // Bounds are reached exactly.
  assert.deepEqual(f.decode(Float64Array.of(0, 0)), { a: -3, l: 1e-8 });
  assert.deepEqual(f.decode(Float64Array.of(1, 1)), { a: 1e4, l: 1e3 });
});

Deno.test("space: any finite point decodes to a valid configuration; project is idempotent", () => {
  const rng = new Rng(11);
  for (let k = 0; k < 300; k++) {
    const u = Float64Array.from({ length: mixed.dim }, () => rng.uniformIn(-0.5, 1.5));
    const p = mixed.decode(u);
    assert.ok(mixed.contains(p), JSON.stringify(p));
    const projected = mixed.project(u);
    assert.deepEqual(projected, mixed.encode(p));
    assert.deepEqual(mixed.project(projected), projected);
    assert.deepEqual(mixed.decode(projected), p);
    for (const x of projected) assert.ok(x >= 0 && x <= 1);
  }
});

Deno.test("space: validate and contains report every bad field", () => {
  const good: ParamsOf<typeof mixed> = {
    lr: 0.01,
    units: 20,
    act: "relu",
    epochs: 3,
    width: 5,
    dropout: 0.1,
    momentum: 0.8,
    batch: 32,
    bias: true,
  };
  assert.deepEqual(mixed.validate(good), good);
  assert.ok(mixed.contains(good));
  const cases: [unknown, RegExp][] = [
    [{ ...good, extra: 1 }, /params\.extra: unknown key/],
    [{ ...good, units: undefined }, /params\.units: missing/],
    [{ ...good, lr: "0.1" }, /params\.lr: .*expected number/],
    [{ ...good, lr: 0.5 }, /params\.lr: must be in \[0\.00001, 0\.1\]/],
    [{ ...good, lr: Number.NaN }, /params\.lr: /],
    [{ ...good, units: 300 }, /params\.units: must be in \[8, 256\]/],
    [{ ...good, units: 20.5 }, /params\.units: must be an integer/],
    [{ ...good, width: 0 }, /params\.width: must be in \[1, 1000\]/],
    [{ ...good, act: "elu" }, /params\.act: must be one of "relu", "tanh", "gelu"/],
    [{ ...good, bias: "true" }, /params\.bias: must be one of true, false/],
    [{ ...good, epochs: 4 }, /params\.epochs: must be 3/],
    [{ ...good, momentum: 0.75 }, /params\.momentum: must be 0\.5 \+ k \* 0\.1/],
    [{ ...good, batch: 40 }, /params\.batch: must be 16 \+ k \* 16/],
    [null, /^TypeError: params: /],
    [[1, 2], /^TypeError: params: /],
  ];
  for (const [params, message] of cases) {
    assert.throws(() => mixed.validate(params), message);
    assert.throws(() => mixed.encode(params as never), message);
    assert.equal(mixed.contains(params), false);
  }
  const { units: _, ...missing } = good;
  assert.throws(() => mixed.validate(missing), /params\.units: missing/);
});

Deno.test("defineSpace: a bad definition throws an error naming the field", () => {
  const cases: [unknown, RegExp][] = [
    [{ lr: float(1, 0) }, /^TypeError: space\.lr\.low: must be < high/],
    [{ lr: float(1, 1) }, /space\.lr\.low: must be < high/],
    [{ lr: float(0, 1, { log: true }) }, /space\.lr\.low: must be > 0 on a log scale/],
    [{ lr: float(-1, Infinity) }, /space\.lr\.high: /],
    [{ lr: float(Number.NaN, 1) }, /space\.lr\.low: /],
    [{ lr: float(0, 1, { step: 0.3 }) }, /space\.lr\.step: must divide high - low/],
    [{ lr: float(0, 1, { step: -0.5 }) }, /space\.lr\.step: must be > 0/],
    [{ lr: float(1, 2, { step: 0.5, log: true }) }, /space\.lr\.step: cannot be combined with log/],
    [{ lr: float(0, 1, { lg: true } as never) }, /space\.lr\.lg: unknown key/],
    [{ n: int(1.5, 3) }, /space\.n\.low: must be an integer/],
    [{ n: int(1, 3.5) }, /space\.n\.high: must be an integer/],
    [{ n: int(5, 2) }, /space\.n\.low: must be < high/],
    [{ n: int(0, 10, { log: true }) }, /space\.n\.low: must be >= 1 on a log scale/],
    [{ n: int(0, 10, { step: 3 }) }, /space\.n\.step: must divide high - low/],
    [{ n: int(0, 10, { step: 2.5 }) }, /space\.n\.step: must be an integer/],
    [{ c: categorical([]) }, /space\.c\.choices: must not be empty/],
    [{ c: categorical(["a", "b", "a"]) }, /space\.c\.choices\[2\]: duplicate choice "a"/],
    [{ c: categorical([null] as never) }, /space\.c\.choices\[0\]: must be a string/],
    [{ c: categorical("ab" as never) }, /space\.c\.choices: /],
    [{ f: fixed(undefined as never) }, /space\.f\.value: /],
    [{ x: { kind: "real", low: 0, high: 1 } }, /space\.x\.kind: /],
    [{ x: 3 }, /space\.x: /],
    [{}, /space: must define at least one parameter/],
    [null, /space: /],
  ];
  for (const [definition, message] of cases) {
    assert.throws(() => defineSpace(definition as never), message);
  }
});

Deno.test("defineSpace: a refused step or bound gives its own message only; grids counted as the codec counts them", () => {
  const only: [unknown, string][] = [
    [{ x: float(0, 1, { step: 0 }) }, "space.x.step: must be > 0"],
    [{ x: float(0, 1, { step: -0.1 }) }, "space.x.step: must be > 0"],
    [{ k: int(0, 3, { step: 1.5 }) }, "space.k.step: must be an integer"],
    [
      { k: int(0, 2 ** 53) },
      "space.k.high: must be a safe integer (at most 2^53 − 1 in absolute value)",
    ],
    // A number of steps just below 2^52 rounds to 2^52: the codec would have 2^52 + 1 values.
    [
      { x: float(0, 2 ** 52 - 0.5, { step: 1 }) },
      "space.x.step: the grid from low to high has more than 2^52 values (4503599627370497); " +
      "use a larger step or no step",
    ],
    [{ c: categorical([0, -0]) }, "space.c.choices[1]: duplicate choice 0"],
  ];
  for (const [definition, message] of only) {
    assert.throws(() => defineSpace(definition as never), { name: "TypeError", message });
  }
  // Many choices: the duplicate check stays linear and a bad value's message lists 20 of them.
  const choices = Array.from({ length: 50_000 }, (_, i) => `c${i}`);
  const big = defineSpace({ c: categorical(choices) });
  assert.throws(() => defineSpace({ c: categorical([...choices, "c7"]) }), {
    message: 'space.c.choices[50000]: duplicate choice "c7"',
  });
  assert.throws(() => big.validate({ c: "none" }), (e: Error) => {
    assert.match(
      e.message,
      /^params\.c: must be one of "c0", "c1", .*"c19", \.\.\. \(50000 choices\), got the string "none"$/,
    );
    return true;
  });
});

Deno.test("space: the definition is copied and frozen", () => {
  const definition = { a: float(0, 1), c: categorical(["x", "y"]) };
  const s = defineSpace(definition);
  (definition.a as { high: number }).high = 5;
  (definition.c.choices as string[]).push("z");
  assert.equal(s.definition.a.high, 1);
  assert.deepEqual(s.definition.c.choices, ["x", "y"]);
  assert.ok(Object.isFrozen(s.definition.c.choices));
});

Deno.test("space: decode and project reject malformed points", () => {
  for (const call of [(u: never) => mixed.decode(u), (u: never) => mixed.project(u)]) {
    assert.throws(() => call(new Float64Array(3) as never), /\.u: must have length 11, got 3/);
    const nan = new Float64Array(11);
    nan[4] = Number.NaN;
    assert.throws(() => call(nan as never), /\.u\.4: must be a finite number/);
    assert.throws(() => call(null as never), /\.u: must be an array of 11 numbers/);
  }
  // Plain arrays are accepted too.
  assert.equal(defineSpace({ x: float(0, 2) }).decode([0.5]).x, 1);
});

Deno.test("space: sampling is seeded, valid and stratified for Sobol and LHS", () => {
  for (const method of ["uniform", "sobol", "lhs"] as const) {
    const a = mixed.sample(32, new Rng(1), method);
    assert.deepEqual(a, mixed.sample(32, new Rng(1), method));
    assert.notDeepEqual(a, mixed.sample(32, new Rng(2), method));
    for (const p of a) assert.ok(mixed.contains(p));
  }
  const cube = defineSpace({ x: float(0, 1), k: int(0, 15) });
  for (const method of ["sobol", "lhs"] as const) {
    const points = cube.sample(16, new Rng(3), method);
    assert.deepEqual(points.map((p) => Math.floor(p.x * 16)).sort((a, b) => a - b), [
      ...Array(16).keys(),
    ]);
    assert.deepEqual(points.map((p) => p.k).sort((a, b) => a - b), [...Array(16).keys()]);
  }
  // Uniform sampling gives each integer and category its share.
  const counts = new Map<unknown, number>();
  for (
    const p of defineSpace({ k: int(0, 3), c: categorical(["a", "b"]) }).sample(4000, new Rng(0))
  ) {
    counts.set(p.k, (counts.get(p.k) ?? 0) + 1);
    counts.set(p.c, (counts.get(p.c) ?? 0) + 1);
  }
  for (const k of [0, 1, 2, 3]) assert.ok(Math.abs(counts.get(k)! - 1000) < 120, `${k}`);
  for (const c of ["a", "b"]) assert.ok(Math.abs(counts.get(c)! - 2000) < 150, c);
  // A space of fixed values only samples its one configuration.
  assert.deepEqual(defineSpace({ a: fixed("x") }).sample(2, new Rng(0), "sobol"), [{ a: "x" }, {
    a: "x",
  }]);
  const encoded = mixed.sampleEncoded(8, new Rng(4), "sobol");
  for (const u of encoded) assert.deepEqual(mixed.project(u), u);
});

Deno.test("space: sample rejects bad arguments", () => {
  assert.throws(() => mixed.sample(-1, new Rng(0)), /sample\.n: /);
  assert.throws(() => mixed.sample(2, {} as never), /sample\.rng: must be an Rng/);
  assert.throws(() => mixed.sample(2, new Rng(0), "grid" as never), /sample\.method: /);
  assert.throws(() => mixed.sampleEncoded(1.5, new Rng(0)), /sample\.n: /);
});

Deno.test("space: JSON round trip", () => {
  const copy = spaceFromJSON(JSON.parse(JSON.stringify(mixed)));
  assert.deepEqual(copy.toJSON(), mixed.toJSON());
  assert.deepEqual(copy.names, mixed.names);
  const p = mixed.sample(1, new Rng(9))[0];
  assert.deepEqual(copy.encode(p), mixed.encode(p));
  // Names that look like integers keep their order in the JSON list.
  const numeric = spaceFromJSON({
    version: 1,
    params: [{ name: "b", kind: "float", low: 0, high: 1 }, {
      name: "a",
      kind: "fixed",
      value: 1,
    }],
  });
  assert.deepEqual(numeric.names, ["b", "a"]);
});

Deno.test("spaceFromJSON: bad input names the field", () => {
  const ok = { name: "a", kind: "float", low: 0, high: 1 };
  const cases: [unknown, RegExp][] = [
    [{ version: 2, params: [ok] }, /spaceJSON\.version: /],
    [{ version: 1, params: [] }, /spaceJSON\.params: must define at least one parameter/],
    [{ version: 1, params: [ok, ok] }, /spaceJSON\.params\[1\]\.name: duplicate name "a"/],
    [
      { version: 1, params: [ok, { ...ok, name: "b", low: 2 }] },
      /spaceJSON\.params\[1\]\.low: must be < high/,
    ],
    [{ version: 1, params: [{ kind: "fixed", value: 1 }] }, /spaceJSON\.params\[0\]\.name: /],
    [{ version: 1, params: [ok], extra: true }, /spaceJSON\.extra: unknown key/],
    ["{}", /spaceJSON: /],
  ];
  for (const [json, message] of cases) assert.throws(() => spaceFromJSON(json), message);
});

Deno.test("unitCube and boxSpace", () => {
  const cube = unitCube(3);
  assert.deepEqual(cube.names, ["x0", "x1", "x2"]);
  const u = Float64Array.of(0.1, 0.7, 1);
  assert.deepEqual(cube.encode(cube.decode(u)), u);
  assert.deepEqual(cube.decode(u), { x0: 0.1, x1: 0.7, x2: 1 });
  const box = boxSpace([[-5, 10], [0, 15]]);
  assert.deepEqual(box.decode(Float64Array.of(0.2, 0.5)), { x0: -2, x1: 7.5 });
  assert.throws(() => unitCube(0), /unitCube\.dim: /);
  assert.throws(() => unitCube(2.5), /unitCube\.dim: /);
  assert.throws(() => boxSpace([]), /boxSpace\.bounds: must not be empty/);
  assert.throws(() => boxSpace([[0, 1], [3, 2]]), /boxSpace\.x1\.low: must be < high/);
  assert.throws(() => boxSpace([[0, 1, 2]] as never), /boxSpace\.bounds\[0\]: /);
});

Deno.test("unitCube and boxSpace configurations are typed as numbers", () => {
  const box = boxSpace([[-5, 10], [0, 15]]);
  const p = box.decode(Float64Array.of(0.2, 0.5));
  const sum: number = p.x0 + p.x1; // not string | number | boolean
  assert.equal(sum, 5.5);
  const q: ParamsOf<ReturnType<typeof unitCube>> = unitCube(2).decode(Float64Array.of(0.25, 1));
  const x0: number = q.x0;
  assert.equal(x0, 0.25);
  // @ts-expect-error a box has no categorical parameter
  const c: ParamsOf<typeof box> = { x0: "a", x1: 1 };
  assert.throws(() => box.validate(c), /x0/);
});

Deno.test("a space of any definition is also a plain Space (where surrogates and proposers take one)", () => {
  const typed = defineSpace({ lr: float(1e-3, 1), act: categorical(["relu", "tanh"]) });
  const plain: Space = typed; // no cast: Space<D> is covariant in D
  const boxes: Space[] = [boxSpace([[0, 1]]), unitCube(3), typed];
  assert.deepEqual(plain.names, ["lr", "act"]);
  assert.deepEqual(boxes.map((s) => s.dim), [1, 3, 3]);
});

Deno.test("ParamsOf infers the configuration type", () => {
  const s = defineSpace({ lr: float(1e-3, 1), act: categorical(["relu", "tanh"]), n: fixed(3) });
  const p: ParamsOf<typeof s> = { lr: 0.1, act: "relu", n: 3 };
  // @ts-expect-error: "gelu" is not a choice
  const bad: ParamsOf<typeof s> = { lr: 0.1, act: "gelu", n: 3 };
  // @ts-expect-error: lr is a number
  const bad2: ParamsOf<typeof s> = { lr: "0.1", act: "relu", n: 3 };
  assert.ok(s.contains(p));
  assert.ok(!s.contains(bad) && !s.contains(bad2));
  const decoded: { lr: number; act: "relu" | "tanh"; n: 3 } = s.decode(s.encode(p));
  assert.deepEqual(decoded, p);
});

Deno.test("spaceFromJSON keeps the declared order of names that look like integers", () => {
  const json = {
    version: 1,
    params: ["b", "2", "1", "10"].map((name) => ({ name, kind: "float", low: 0, high: 1 })),
  };
  const space = spaceFromJSON(json);
  assert.deepEqual(space.names, ["b", "2", "1", "10"]);
  assert.deepEqual(space.toJSON().params.map((p) => p.name), ["b", "2", "1", "10"]);
  assert.deepEqual(
    space.encode({ b: 0.1, 2: 0.2, 1: 0.3, 10: 0.4 }),
    Float64Array.of(0.1, 0.2, 0.3, 0.4),
  );
  assert.deepEqual(spaceFromJSON(JSON.parse(JSON.stringify(space))).names, space.names);
});

Deno.test("any string names a parameter: __proto__, constructor, toString", () => {
  const definition = JSON.parse(
    '{"__proto__": {"kind": "float", "low": 0, "high": 1}, "constructor": {"kind": "int", "low": 1, "high": 3}, "toString": {"kind": "categorical", "choices": ["a"]}}',
  );
  const space = defineSpace(definition);
  assert.deepEqual(space.names, ["__proto__", "constructor", "toString"]);
  assert.equal(space.dim, 3);
  const params = JSON.parse('{"__proto__": 0.5, "constructor": 2, "toString": "a"}');
  assert.ok(space.contains(params));
  const decoded = space.decode(space.encode(params)) as Record<string, unknown>;
  assert.ok(Object.hasOwn(decoded, "__proto__"));
  assert.equal(decoded["__proto__"], 0.5);
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  // A missing own key is missing, never read from Object.prototype.
  assert.throws(
    () => space.validate({ constructor: 2, toString: "a" }),
    /params\.__proto__: missing/,
  );
  assert.deepEqual(spaceFromJSON(JSON.parse(JSON.stringify(space))).names, space.names);
  assert.equal(defineSpace({ ["__proto__"]: float(0, 1) }).names[0], "__proto__");
});

Deno.test("float ranges wider than Number.MAX_VALUE encode and decode; impossible grids are refused", () => {
  const wide = defineSpace({ x: float(-Number.MAX_VALUE, Number.MAX_VALUE) });
  assert.deepEqual(wide.encode({ x: 0 }), Float64Array.of(0.5));
  assert.deepEqual(wide.encode({ x: Number.MAX_VALUE }), Float64Array.of(1));
  assert.equal(wide.decode([0.5]).x, 0);
  assert.equal(wide.decode([0]).x, -Number.MAX_VALUE);
  assert.equal(wide.decode([1]).x, Number.MAX_VALUE);
  for (const t of [0.1, 0.37, 0.9]) {
    const x = wide.decode([t]).x;
    assert.ok(Number.isFinite(x));
    assert.ok(Math.abs(wide.encode({ x })[0] - t) < 1e-12);
  }
  const logWide = defineSpace({ x: float(Number.MIN_VALUE, Number.MAX_VALUE, { log: true }) });
  assert.ok(Number.isFinite(logWide.decode([0.5]).x));
  assert.throws(
    () => defineSpace({ k: int(-(2 ** 53 - 1), 2 ** 53 - 1) }),
    /space\.k\.high: high - low must be at most 2\^53 - 1/,
  );
  // Bounds that are no safe integers get their own message only.
  assert.throws(() => defineSpace({ k: int(-Number.MAX_VALUE, Number.MAX_VALUE) }), {
    message: "space.k.low: must be a safe integer (at most 2^53 − 1 in absolute value); " +
      "space.k.high: must be a safe integer (at most 2^53 − 1 in absolute value)",
  });
  assert.throws(
    () => defineSpace({ x: float(0, 1, { step: 1e-300 }) }),
    /space\.x\.step: the grid from low to high has more than 2\^52 values/,
  );
});

Deno.test("initialDesign: one function for studies and space.sample, fixed-only spaces included", () => {
  for (const method of SAMPLE_METHODS) {
    const points = initialDesign(mixed, 6, new Rng(2), method);
    assert.equal(points.length, 6);
    for (const u of points) assert.deepEqual(mixed.project(u), u);
    assert.deepEqual(points, mixed.sampleEncoded(6, new Rng(2), method));
  }
  assert.equal(SPACE_DEFAULTS.sampleMethod, DESIGN_DEFAULTS.method);
  const fixedOnly = defineSpace({ a: fixed(3) });
  assert.deepEqual(initialDesign(fixedOnly, 2, new Rng(0)), [
    new Float64Array(0),
    new Float64Array(0),
  ]);
  assert.deepEqual(fixedOnly.sample(2, new Rng(0)), [{ a: 3 }, { a: 3 }]);
  assert.throws(() => initialDesign(null as never, 2, new Rng(0)), /initialDesign\.space: /);
  assert.throws(() => initialDesign(mixed, -1, new Rng(0)), /initialDesign\.n: /);
  assert.throws(
    () => initialDesign(mixed, 2, new Rng(0), "random" as never),
    /initialDesign\.method/,
  );
});

Deno.test("unitCubeDesign: Sobol up to dimension 1111, a Latin hypercube above", () => {
  const low = unitCubeDesign(8, 3, new Rng(0));
  assert.equal(low.length, 8);
  const wide = unitCubeDesign(4, 2000, new Rng(0));
  assert.equal(wide.length, 4);
  for (const u of wide) assert.ok(u.length === 2000 && u.every((v) => v >= 0 && v < 1));
  // Each coordinate of a Latin hypercube has one point per stratum.
  for (const j of [0, 999, 1999]) {
    assert.deepEqual(wide.map((u) => Math.floor(u[j] * 4)).sort(), [0, 1, 2, 3]);
  }
  assert.deepEqual(unitCubeDesign(2, 0, new Rng(0)), [new Float64Array(0), new Float64Array(0)]);
  assert.throws(() => unitCubeDesign(2, -1, new Rng(0)), /unitCubeDesign\.dim/);
});

Deno.test("grids: a value is on the grid to rounding only, and a step must divide the range", () => {
  const even = defineSpace({ k: int(0, 2_000_000_000, { step: 2 }) });
  assert.equal(even.contains({ k: 3 }), false);
  assert.equal(even.contains({ k: 1_999_999_998 }), true);
  assert.throws(
    () => defineSpace({ k: int(0, 2_000_000_001, { step: 2 }) }),
    /space\.k\.step: must divide high - low/,
  );
  const fine = defineSpace({ x: float(0, 1, { step: 1e-9 }) });
  assert.equal(fine.contains({ x: 0.12345678912345 }), false);
  assert.equal(fine.contains({ x: 123456789 * 1e-9 }), true);
  const unit = defineSpace({ x: float(0, 1e6, { step: 1 }) });
  assert.equal(unit.contains({ x: 0.0009 }), false);
  assert.equal(unit.contains({ x: 999999.9995 }), false);
  // Values as low + k·step computes them (Optuna's 0.30000000000000004) are on the grid.
  const tenth = defineSpace({ x: float(0, 1, { step: 0.1 }), y: float(-5, 10, { step: 0.001 }) });
  assert.ok(tenth.contains({ x: 0.30000000000000004, y: 7.345 }));
  for (let k = 0; k <= 15_000; k += 7) {
    assert.ok(tenth.contains({ x: (k % 11) * 0.1, y: -5 + k * 0.001 }), `k = ${k}`);
    assert.equal(tenth.decode(tenth.encode({ x: 0, y: -5 + k * 0.001 })).y, -5 + k * 0.001);
  }
  defineSpace({ x: float(0.1, 0.7, { step: 0.2 }), z: float(0.1, 0.7, { step: 0.1 }) });
});

Deno.test("log scales narrower than the logarithms' rounding encode and decode exactly", () => {
  const narrow = defineSpace({
    x: float(1e15, 1e15 + 1, { log: true }),
    k: int(2 ** 53 - 10, 2 ** 53 - 1, { log: true }),
  });
  assert.deepEqual(
    narrow.encode({ x: 1e15, k: 2 ** 53 - 10 }).map((u) => Number.isFinite(u) ? 1 : 0),
    Float64Array.of(1, 1),
  );
  assert.equal(narrow.encode({ x: 1e15, k: 2 ** 53 - 10 })[0], 0);
  assert.equal(narrow.encode({ x: 1e15 + 1, k: 2 ** 53 - 10 })[0], 1);
  for (let k = 2 ** 53 - 10; k <= 2 ** 53 - 1; k++) {
    for (const x of [1e15, 1e15 + 0.25, 1e15 + 0.5, 1e15 + 1]) {
      assert.deepEqual(narrow.decode(narrow.encode({ x, k })), { x, k });
    }
  }
  const rng = new Rng(1);
  for (let i = 0; i < 100; i++) {
    const p = narrow.decode(Float64Array.from(rng.uniforms(2)));
    assert.ok(narrow.contains(p), JSON.stringify(p));
  }
});

Deno.test("grids have at most 2^52 values, so that every value round-trips", () => {
  assert.throws(
    () => defineSpace({ k: int(0, 2 ** 52 + 10) }),
    /space\.k\.high: the grid from low to high has more than 2\^52 values/,
  );
  assert.throws(
    () => defineSpace({ k: int(-(2 ** 52), 2 ** 52, { step: 4 }) }),
    /space\.k\.high: high - low must be at most 2\^53 - 1/,
  );
  const top = defineSpace({
    k: int(0, 2 ** 52 - 1),
    j: int(-(2 ** 52) + 2, 2 ** 52 - 2, { step: 2 }),
  });
  for (const k of [0, 1, 2 ** 51 + 1, 2 ** 52 - 3, 2 ** 52 - 2, 2 ** 52 - 1]) {
    const j = 2 * Math.floor(k / 2) - 2 ** 52 + 2;
    assert.deepEqual(top.decode(top.encode({ k, j })), { k, j });
  }
});

Deno.test("float grids on ranges wider than Number.MAX_VALUE encode and decode", () => {
  const wide = defineSpace({ x: float(-1e308, 1e308, { step: 1e300 }) });
  assert.equal(wide.params[0].levels, 200_000_001);
  for (const x of [-1e308, -5e307, 0, 1e300, 3e307, 1e308]) {
    assert.ok(wide.contains({ x }), String(x));
    const back = wide.decode(wide.encode({ x })).x;
    assert.ok(wide.contains({ x: back }) && Math.abs(back - x) <= 1e-12 * 1e308, `${x}: ${back}`);
    assert.deepEqual(wide.project(wide.encode({ x })), wide.encode({ x }));
  }
  assert.equal(wide.decode([0]).x, -1e308);
  assert.equal(wide.decode([1]).x, 1e308);
  assert.equal(wide.contains({ x: 5e299 }), false);
  assert.throws(
    () => defineSpace({ x: float(-1e308, 1e308, { step: 3e300 }) }),
    /space\.x\.step: must divide high - low/,
  );
});

Deno.test("messages: an array is named, names that are not identifiers are quoted, JSON errors point into the list", () => {
  const s = defineSpace({ lr: float(0, 1) });
  assert.throws(() => s.validate([0.5]), /^TypeError: params: must be an object, got an array$/);
  const dotted = defineSpace({ "a.b": float(0, 1), a: float(0, 1) });
  assert.throws(
    () => dotted.validate({ "a.b": 2, a: 0.5, "c d": 1 }),
    (e: Error) => e.message === 'params["a.b"]: must be in [0, 1]; params["c d"]: unknown key',
  );
  assert.throws(() => dotted.validate({ "a.b": 0.5, a: 2 }), /^TypeError: params\.a: must be in/);
  assert.throws(
    () => defineSpace({ "a.b": float(1, 0) }),
    /^TypeError: space\["a\.b"\]\.low: must be < high$/,
  );
  assert.throws(
    () =>
      spaceFromJSON({
        version: 1,
        params: [
          { name: "x", kind: "float", low: 0, high: 1 },
          { name: "a", kind: "float", low: 0, high: 1, when: { z: 1 } },
        ],
      }),
    /^TypeError: spaceJSON\.params\[1\]\.when\.z: unknown parameter "z"$/,
  );
  assert.throws(
    () => spaceFromJSON({ version: 1, params: [{ name: "a", kind: "float", low: 1, high: 0 }] }),
    /spaceJSON\.params\[0\]\.low: must be < high/,
  );
});

Deno.test("canonicalSpaceJSON and sameSpace: explicit defaults and condition order do not matter", () => {
  const a = defineSpace({
    c: categorical(["x", "y", "z"]),
    k: int(1, 10),
    lr: float(0.1, 0.7),
    m: when({ c: ["x", "y"], k: 2 }, float(0, 1)),
  });
  const b = defineSpace({
    c: categorical(["x", "y", "z"]),
    k: int(1, 10, { step: 1, log: false }),
    lr: float(0.1, 0.7, { log: false }),
    m: when({ k: [2], c: ["y", "x"] }, float(0, 1)),
  });
  assert.ok(sameSpace(a, b));
  assert.equal(canonicalSpaceJSON(a), canonicalSpaceJSON(b.toJSON()));
  assert.ok(sameSpace(a, JSON.parse(JSON.stringify(b))));
  for (
    const other of [
      defineSpace({ c: categorical(["y", "x", "z"]), k: int(1, 10), lr: float(0.1, 0.7) }),
      defineSpace({
        c: categorical(["x", "y", "z"]),
        k: int(1, 10, { log: true }),
        lr: float(0.1, 0.7),
      }),
      defineSpace({ c: categorical(["x", "y", "z"]), lr: float(0.1, 0.7), k: int(1, 10) }),
      defineSpace({ c: categorical(["x", "y", "z"]), k: int(1, 10), lr: float(0.1, 0.8) }),
    ]
  ) {
    assert.equal(sameSpace(a, other), false);
  }
  assert.equal(sameSpace(a, null), false);
});

const knnSvm = defineSpace({
  model: categorical(["knn", "svm"]),
  k: when({ model: "knn" }, int(1, 30)),
  C: when({ model: "svm" }, float(1e-3, 1e3, { log: true })),
});

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("sample: the default design is distinct, so a branch of few configurations gets at most that many points", async () => {
  // The numbers of Space.sampleEncoded's example: 30 knn points (each k once) and 970 svm ones.
  for (const method of SAMPLE_METHODS) {
    for (const seed of [0, 1, 2]) {
      const design = knnSvm.sample(1000, new Rng(seed), method);
      const ks = design.filter((p) => p.model === "knn").map((p) => p.k!).sort((a, b) => a - b);
      assert.deepEqual(ks, Array.from({ length: 30 }, (_, i) => i + 1), `${method} ${seed}`);
      assert.equal(design.filter((p) => p.model === "svm").length, 970);
    }
  }
  // The default paths as they were: space.sample and sampleEncoded with and without a method.
  const text = JSON.stringify([
    knnSvm.sample(200, new Rng(0)),
    mixed.sample(50, new Rng(1)),
    ...SAMPLE_METHODS.map((method) => mixed.sample(40, new Rng(2), method)),
    ...SAMPLE_METHODS.map((method) => knnSvm.sample(100, new Rng(3), method)),
    ...SAMPLE_METHODS.map((m) => knnSvm.sampleEncoded(60, new Rng(4), m).map((u) => [...u])),
    defineSpace({ a: categorical(["x", "y", "z"]), b: int(1, 4) }).sample(12, new Rng(5)),
  ]);
  assert.equal(
    await sha256(text),
    "73f657bf96c9e6115f71e16d7e5da3cb776dc286229be380f8fab7f8dd434e37",
  );
});

Deno.test("sample { distinct: false }: independent draws with uniform, the projected sequence otherwise", () => {
  const shares: number[] = [];
  for (const seed of [0, 1, 2, 3, 4]) {
    const draws = knnSvm.sample(1000, new Rng(seed), "uniform", { distinct: false });
    const knn = draws.filter((p) => p.model === "knn");
    shares.push(knn.length);
    // Binomial(1000, 1/2): sd ≈ 15.8; 100 is more than 6 sd.
    assert.ok(Math.abs(knn.length - 500) < 100, `seed ${seed}: ${knn.length} knn`);
    // Every k about 1/30 of the knn draws, not once each.
    assert.ok(knn.filter((p) => p.k === 1).length > 3, `seed ${seed}`);
    for (const p of draws) assert.ok(knnSvm.contains(p));
  }
  assert.ok(shares.some((n) => n !== shares[0]), "draws differ across seeds");
  // A log int's marginal in a discrete space keeps its shape: k = 1 owns ln(1.5/0.5)/ln(100.5/0.5).
  const grid = defineSpace({ g: float(0, 1, { step: 0.01 }), k: int(1, 100, { log: true }) });
  const p1 = Math.log(3) / Math.log(201);
  const ones = grid.sample(2000, new Rng(0), "uniform", { distinct: false })
    .filter((p) => p.k === 1).length;
  const sd = Math.sqrt(2000 * p1 * (1 - p1));
  assert.ok(Math.abs(ones - 2000 * p1) < 6 * sd, `${ones} draws of k = 1, expected ${2000 * p1}`);
  assert.ok(grid.sample(2000, new Rng(0), "uniform").filter((p) => p.k === 1).length <= 101);
  // Each method's points as drawn, projected; with the same rng, the default's first points.
  for (const method of SAMPLE_METHODS) {
    const raw = unitCubeDesign(300, knnSvm.dim, new Rng(7), method).map((u) => knnSvm.project(u));
    assert.deepEqual(knnSvm.sampleEncoded(300, new Rng(7), method, { distinct: false }), raw);
    assert.deepEqual(
      knnSvm.sample(300, new Rng(7), method, { distinct: false }),
      raw.map((u) => knnSvm.decode(u)),
    );
  }
  const sobol = knnSvm.sample(1000, new Rng(0), "sobol", { distinct: false });
  assert.ok(Math.abs(sobol.filter((p) => p.model === "knn").length - 500) <= 20);
  // { distinct: true } and {} are the default.
  assert.deepEqual(
    knnSvm.sample(200, new Rng(1), "uniform", { distinct: true }),
    knnSvm.sample(200, new Rng(1), "uniform", {}),
  );
  assert.deepEqual(knnSvm.sample(200, new Rng(1), undefined, {}), knnSvm.sample(200, new Rng(1)));
  assert.throws(
    () => knnSvm.sample(2, new Rng(0), "uniform", { distinct: "no" } as never),
    /^TypeError: sample\.options\.distinct: /,
  );
  assert.throws(
    () => knnSvm.sampleEncoded(2, new Rng(0), "uniform", { distinkt: false } as never),
    /sample\.options\.distinkt: unknown key/,
  );
});

/** The largest high of an int on a log scale (any low, unless the range is narrow). */
const LOG_INT_TOP = 36_067_559_602_827;

Deno.test("log ints: every value of an accepted range round-trips; a high the log scale cannot resolve is refused", async () => {
  assert.equal(Number(LOG_INT_TOP.toPrecision(2)), 3.6e13, "the message's limit");
  const tooLarge =
    /^TypeError: space\.k\.high: too large for a log scale: .* so some would not round-trip; use high <= 3\.6e13 or a float$/;
  for (const low of [1, 2, 3, 1000, 2 ** 30]) {
    const space = defineSpace({ k: int(low, LOG_INT_TOP, { log: true }) });
    assert.throws(() => defineSpace({ k: int(low, LOG_INT_TOP + 1, { log: true }) }), tooLarge);
    const tested = [
      ...Array.from({ length: 20_000 }, (_, i) => LOG_INT_TOP - i),
      ...Array.from({ length: 2_000 }, (_, i) => low + i),
      // around the powers of two of ln k and ln k − ln(low − ½), where their rounding doubles
      ...[4, 8, 16, 32].flatMap((p) =>
        [Math.exp(p), Math.exp(p) * (low - 0.5)].flatMap((c) =>
          Array.from({ length: 2_000 }, (_, i) => Math.round(c) - 1_000 + i)
        )
      ).filter((k) => k >= low && k <= LOG_INT_TOP),
    ];
    for (const k of tested) {
      const back = space.decode(space.encode({ k })).k;
      if (back !== k) assert.fail(`low ${low}: ${k} decodes to ${back}`);
    }
    assert.equal(space.decode([0]).k, low);
    assert.equal(space.decode([1]).k, LOG_INT_TOP);
  }
  for (const high of [2 ** 47, 2 ** 52, 2 ** 53 - 1]) {
    assert.throws(() => defineSpace({ k: int(1, high, { log: true }) }), tooLarge);
  }
  // Just wide of the narrow ranges at the top: refused (the narrow ones are measured from low).
  assert.throws(
    () => defineSpace({ k: int(9_006_883_693_554_837, 2 ** 53 - 1, { log: true }) }),
    tooLarge,
  );
  const narrow = defineSpace({ k: int(9_006_883_693_554_838, 2 ** 53 - 1, { log: true }) });
  for (let k = 2 ** 53 - 5_000; k <= 2 ** 53 - 1; k++) {
    if (narrow.decode(narrow.encode({ k })).k !== k) assert.fail(`narrow: ${k}`);
  }
  assert.throws(
    () =>
      spaceFromJSON({
        version: 1,
        params: [{ name: "k", kind: "int", low: 1, high: 2 ** 50, log: true }],
      }),
    /^TypeError: spaceJSON\.params\[0\]\.high: too large for a log scale/,
  );
  // The linear int's refusals advise what works.
  assert.throws(
    () => defineSpace({ k: int(1, 2 ** 53 - 1) }),
    /^TypeError: space\.k\.high: the grid from low to high has more than 2\^52 values \(9007199254740991\); use a larger step or a float$/,
  );
  assert.throws(
    () => defineSpace({ k: int(-(2 ** 52), 2 ** 52, { step: 4 }) }),
    /^TypeError: space\.k\.high: high - low must be at most 2\^53 - 1 \(9007199254740992\); use a float$/,
  );
  // The README's limit.
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  assert.match(readme.replace(/\s+/g, " "), /refused beyond `high` ≈ 3\.6·10¹³/);
});

Deno.test("float grids: the on-grid check scales with the value, refusing values between grid points", () => {
  const cases: [ReturnType<typeof float>, number[], number[]][] = [
    [float(0, 4e15, { step: 1 }), [0.5, 10.25, 1.5, 1e6 + 0.5, 2 ** 40 + 0.25], [
      0,
      1,
      10,
      2 ** 40,
      4e15 - 1,
      4e15,
    ]],
    [float(0, 1e6, { step: 1e-6 }), [1.01e-6, 1.5e-6, 0.3 + 5e-7, 999_999.5000005], [
      1e-6,
      2e-6,
      0.3,
      0.000123,
      123_456 * 1e-6,
      999_999.999999,
      1e6,
    ]],
    [float(-1e6, 1e6, { step: 1e-3 }), [5e-4, 0.0105, -0.0015, 999_999.9995], [
      0,
      0.001,
      -0.003,
      7.345,
      -999_999.999,
    ]],
    [float(0, 1, { step: 0.1 }), [0.05, 0.31, 0.3 + 1e-9], [
      0.3,
      0.7,
      0.9,
      0.30000000000000004,
      3 * 0.1,
      0.1 + 0.2,
    ]],
  ];
  for (const [definition, between, on] of cases) {
    const space = defineSpace({ x: definition });
    for (const x of between) {
      assert.equal(space.contains({ x }), false, `${x} on ${definition.step}`);
    }
    for (const x of on) assert.ok(space.contains({ x }), `${x} on ${definition.step}`);
  }
  // Every value decode gives, and every low + k·step, is on its grid.
  const grids = [
    float(0, 4e15, { step: 1 }),
    float(0, 1e6, { step: 1e-6 }),
    float(-1e6, 1e6, { step: 1e-3 }),
    float(0.1, 0.7, { step: 0.05 }),
    float(-5, 10, { step: 0.001 }),
    float(1e6, 1e6 + 1, { step: 1e-6 }),
    float(-(2 ** 51) * 0.1, (2 ** 51 - 1) * 0.1, { step: 0.1 }),
    float(-1e308, 1e308, { step: 1e300 }),
    float(0, 1, { step: 1e-9 }),
  ];
  const rng = new Rng(0);
  for (const definition of grids) {
    const space = defineSpace({ x: definition });
    const levels = space.params[0].levels!;
    const { low, step } = definition as { low: number; step: number };
    for (let i = 0; i < 3_000; i++) {
      const u = i < 1_000 ? rng.uniform() : i < 2_000 ? i / 1_000 - 1 : 1 - (i - 2_000) / 1e15;
      const x = space.decode([u]).x;
      if (!space.contains({ x })) assert.fail(`decoded ${x} on ${low} + k * ${step}`);
      const k = Math.floor(rng.uniform() * (levels - 1)); // the last value is high itself
      const y = Number.isFinite(low + k * step) ? low + k * step : 2 * (low / 2 + k * (step / 2));
      if (!space.contains({ x: y })) assert.fail(`${y} = ${low} + ${k} * ${step}`);
    }
  }
});

Deno.test("int on a log scale: step 1, the default, is accepted (as Optuna writes it), other steps are not", () => {
  const plain = defineSpace({ units: int(8, 256, { log: true }) });
  const stepped = defineSpace({ units: int(8, 256, { log: true, step: 1 }) });
  assert.ok(sameSpace(plain, stepped));
  assert.equal(stepped.params[0].levels, 249);
  for (const units of [8, 9, 100, 255, 256]) {
    assert.deepEqual(stepped.encode({ units }), plain.encode({ units }));
  }
  const json = spaceFromJSON({
    version: 1,
    params: [{ name: "units", kind: "int", low: 8, high: 256, log: true, step: 1 }],
  });
  assert.ok(sameSpace(json, plain));
  assert.deepEqual(json.sample(5, new Rng(0)), plain.sample(5, new Rng(0)));
  assert.throws(
    () => defineSpace({ units: int(8, 256, { log: true, step: 2 }) }),
    /^TypeError: space\.units\.step: cannot be combined with log \(an int on a log scale takes every integer: step 1\)$/,
  );
  assert.throws(
    () =>
      spaceFromJSON({
        version: 1,
        params: [{ name: "units", kind: "int", low: 8, high: 256, log: true, step: 2 }],
      }),
    /^TypeError: spaceJSON\.params\[0\]\.step: cannot be combined with log/,
  );
  assert.throws(
    () => defineSpace({ lr: float(1, 2, { log: true, step: 1 }) }),
    /^TypeError: space\.lr\.step: cannot be combined with log$/,
  );
});

Deno.test("Space.validate and encode: storedGrid reads a value earlier versions took as on the grid, and bad options are named", () => {
  const space = defineSpace({ r: float(0, 1, { step: 1 / 3 }), n: int(0, 9) });
  const old = { r: 0.3333333333, n: 2 };
  assert.throws(() => space.validate(old), /params\.r: must be 0 \+ k \* 0\.333/);
  assert.equal(space.validate(old, { storedGrid: "keep" }).r, 0.3333333333);
  assert.equal(space.validate(old, { storedGrid: "snap" }).r, 1 / 3);
  assert.deepEqual(
    space.encode(old as never, { storedGrid: "keep" }),
    space.encode({ r: 1 / 3, n: 2 }),
  );
  // Off the grid by more than the old tolerance: refused either way.
  assert.throws(() => space.validate({ r: 0.33, n: 2 }, { storedGrid: "keep" }), /params\.r/);
  for (
    const [options, message] of [
      [{ storedGrid: "kep" }, /validate\.options\.storedGrid: must be "keep" or "snap", got "kep"/],
      [{ storedGrid: true }, /validate\.options\.storedGrid: must be "keep" or "snap", got true/],
      [{ stored: "keep" }, /validate\.options\.stored: unknown key/],
      [null, /validate\.options: expected an object/],
    ] as const
  ) {
    assert.throws(() => space.validate(old, options as never), message);
  }
  assert.throws(
    () => space.encode(old as never, { storedGrid: "kep" } as never),
    /encode\.options\.storedGrid/,
  );
});
