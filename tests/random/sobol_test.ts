import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Rng, sobol, SOBOL_MAX_DIM, SobolEngine } from "../../lib/random/mod.ts";

interface SobolFixture {
  first: number[][];
  directionSums: number[];
  fingerprints: { skip: number; n: number; sums: number[] }[];
  skipped: { skip: number; points: number[][] };
}

const fixture: SobolFixture = JSON.parse(
  readFileSync(new URL("../fixtures/sobol_scipy.json", import.meta.url), "utf8"),
);

const rows = (points: readonly Float64Array[]) => points.map((p) => Array.from(p));

Deno.test("sobol: unscrambled first 64 points in 40 dimensions equal scipy's", () => {
  assert.deepEqual(rows(sobol(64, 40, { scramble: false })), fixture.first);
});

Deno.test("sobol: the published first points of Sobol(5, scramble=False)", () => {
  assert.deepEqual(rows(sobol(4, 5, { scramble: false })), [
    [0, 0, 0, 0, 0],
    [0.5, 0.5, 0.5, 0.5, 0.5],
    [0.75, 0.25, 0.25, 0.25, 0.75],
    [0.25, 0.75, 0.75, 0.75, 0.25],
  ]);
});

Deno.test("sobol: 30-bit direction numbers of all embedded dimensions equal scipy's", () => {
  assert.equal(fixture.directionSums.length, SOBOL_MAX_DIM);
  // The point at index 2^(k+1) - 1 has Gray code 2^k, so it equals direction number V_k.
  const sums = new Float64Array(SOBOL_MAX_DIM);
  for (let k = 0; k < 30; k++) {
    const [point] = sobol(1, SOBOL_MAX_DIM, { scramble: false, skip: 2 ** (k + 1) - 1 });
    for (let d = 0; d < SOBOL_MAX_DIM; d++) sums[d] += (k + 1) * point[d] * 2 ** 30;
  }
  assert.deepEqual(Array.from(sums), fixture.directionSums);
});

Deno.test("sobol: weighted sums of point blocks in all dimensions equal scipy's", () => {
  for (const { skip, n, sums } of fixture.fingerprints) {
    const points = sobol(n, SOBOL_MAX_DIM, { scramble: false, skip });
    const ours = new Array(SOBOL_MAX_DIM).fill(0);
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < SOBOL_MAX_DIM; d++) ours[d] += (i + 1) * points[i][d];
    }
    assert.deepEqual(ours, sums, `block skip=${skip}`);
  }
});

Deno.test("sobol: skip equals scipy's fast_forward", () => {
  const { skip, points } = fixture.skipped;
  assert.deepEqual(rows(sobol(points.length, 5, { scramble: false, skip })), points);
});

Deno.test("SobolEngine: successive draws, fastForward and reset continue one sequence", () => {
  const whole = rows(sobol(40, 7, { rng: new Rng(5) }));
  const engine = new SobolEngine(7, { rng: new Rng(5) });
  assert.deepEqual([...rows(engine.draw(13)), ...rows(engine.draw(27))], whole);
  assert.equal(engine.index, 40);
  engine.reset();
  assert.equal(engine.index, 0);
  assert.deepEqual(rows(engine.draw(3)), whole.slice(0, 3));
  engine.fastForward(20);
  assert.deepEqual(rows(engine.draw(5)), whole.slice(23, 28));
  assert.deepEqual(rows(sobol(10, 7, { rng: new Rng(5), skip: 30 })), whole.slice(30));
  assert.deepEqual(engine.draw(0), []);
});

Deno.test("sobol: scrambled points lie in [0,1), are seeded and differ from the plain sequence", () => {
  const a = sobol(256, 12, { rng: new Rng(1) });
  const b = sobol(256, 12, { rng: new Rng(1) });
  const c = sobol(256, 12, { rng: new Rng(2) });
  assert.deepEqual(rows(a), rows(b));
  assert.notDeepEqual(rows(a), rows(c));
  assert.notDeepEqual(rows(a), rows(sobol(256, 12, { scramble: false })));
  for (const point of [...a, ...c]) {
    for (const x of point) assert.ok(x >= 0 && x < 1, `${x} outside [0, 1)`);
  }
  // The default is scrambled: an explicit scramble: true gives the same points.
  assert.deepEqual(
    rows(sobol(16, 3, { rng: new Rng(9), scramble: true })),
    rows(sobol(16, 3, { rng: new Rng(9) })),
  );
});

Deno.test("sobol: each 1-D projection of 2^k scrambled points has one point per 2^-k interval", () => {
  for (const seed of [0, 1, 2]) {
    for (let k = 0; k <= 9; k++) {
      const n = 2 ** k;
      const points = sobol(n, 25, { rng: new Rng(seed) });
      for (let d = 0; d < 25; d++) {
        const cells = points.map((p) => Math.floor(p[d] * n)).sort((x, y) => x - y);
        assert.deepEqual(
          cells,
          Array.from({ length: n }, (_, i) => i),
          `seed ${seed} k ${k} d ${d}`,
        );
      }
    }
  }
});

Deno.test("sobol: scrambling keeps the (0, m, 2)-net property of the first two dimensions", () => {
  const m = 8;
  const points = sobol(2 ** m, 2, { rng: new Rng(11) });
  for (let a = 0; a <= m; a++) {
    // Elementary boxes of width 2^-a by 2^-(m-a) each hold exactly one point.
    const seen = new Set(
      points.map((p) => Math.floor(p[0] * 2 ** a) * 2 ** (m - a) + Math.floor(p[1] * 2 ** (m - a))),
    );
    assert.equal(seen.size, 2 ** m, `a = ${a}`);
  }
});

Deno.test("sobol: bad inputs throw errors naming the field", () => {
  const rng = new Rng(0);
  const cases: [() => unknown, RegExp][] = [
    [() => sobol(-1, 2, { rng }), /^TypeError: sobol\.n: /],
    [() => sobol(1.5, 2, { rng }), /^TypeError: sobol\.n: /],
    [() => sobol(Number.NaN, 2, { rng }), /^TypeError: sobol\.n: /],
    [() => sobol(4, 0, { rng }), /^TypeError: sobol\.dim: /],
    [() => sobol(4, SOBOL_MAX_DIM + 1, { rng }), /^TypeError: sobol\.dim: must be at most 1111/],
    [() => sobol(4, 2), /^TypeError: sobol\.options\.rng: required when scramble is true/],
    [() => sobol(4, 2, { scramble: true }), /^TypeError: sobol\.options\.rng: required/],
    [() => sobol(4, 2, { rng: {} as Rng }), /^TypeError: sobol\.options\.rng: must be an Rng/],
    [() => sobol(4, 2, { rng, skip: -1 }), /^TypeError: sobol\.options\.skip: /],
    [() => sobol(4, 2, { rng, skip: 0.5 }), /^TypeError: sobol\.options\.skip: /],
    [() => sobol(4, 2, { rng, seed: 1 } as never), /^TypeError: sobol\.options\.seed: unknown key/],
    [() => sobol(4, 2, { scramble: "yes" } as never), /^TypeError: sobol\.options\.scramble: /],
    [() => new SobolEngine(0, { rng }), /^TypeError: SobolEngine\.dim: /],
    [() => new SobolEngine(2), /^TypeError: SobolEngine\.options\.rng: required/],
    [
      () => new SobolEngine(2, { rng, skip: 3 } as never),
      /^TypeError: SobolEngine\.options\.skip: unknown key/,
    ],
    [() => new SobolEngine(2, { rng }).draw(-2), /^TypeError: SobolEngine\.draw\.n: /],
    [
      () => new SobolEngine(2, { rng }).fastForward(1.5),
      /^TypeError: SobolEngine\.fastForward\.n: /,
    ],
    [
      () => new SobolEngine(2, { rng }).fastForward(2 ** 32).draw(1),
      /^RangeError: SobolEngine\.draw\.n: the sequence has 2\^32 points/,
    ],
  ];
  for (const [call, message] of cases) assert.throws(call, message);
});

Deno.test("SobolEngine: a rejected call changes no state", () => {
  const engine = new SobolEngine(3, { rng: new Rng(8) });
  engine.draw(5);
  assert.throws(() => engine.draw(2 ** 32));
  assert.throws(() => engine.fastForward(-1));
  assert.equal(engine.index, 5);
  assert.deepEqual(rows(engine.draw(3)), rows(sobol(8, 3, { rng: new Rng(8) }).slice(5)));
});

Deno.test("SobolEngine: the last of the 2^32 points is reachable", () => {
  const engine = new SobolEngine(2, { scramble: false }).fastForward(2 ** 32 - 1);
  const [last] = engine.draw(1);
  assert.equal(engine.index, 2 ** 32);
  // Index 2^32 - 1 has Gray code 2^31: the direction number V_31 = m_32 / 2^32.
  assert.equal(last[0], 2 ** -32);
});
