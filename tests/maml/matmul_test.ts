// batchMatMul of lib/maml/matmul.ts against tf.matMul: the skip of exactly-zero left values
// must not turn 0 · NaN or 0 · ±Infinity into 0 (IEEE 754 gives NaN), for every transpose, while
// finite products, zeros included, equal tf.matMul.
import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { batchMatMul, useBackend } from "../../lib/maml/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

await useBackend("cpu");

const VARIANTS = [[false, false], [false, true], [true, false], [true, true]] as const;

/** `[T, M, K] × [T, K, N]` operands in the layout of the transposes, with exact zeros. */
function operands(rng: Rng, ta: boolean, tb: boolean) {
  const [t, m, k, n] = [2, 3, 4, 5];
  const values = (size: number) =>
    Float32Array.from({ length: size }, () => (rng.uniform() < 0.4 ? 0 : rng.normal()));
  const a = values(t * m * k);
  const b = values(t * k * n);
  return {
    a,
    b,
    shapeA: (ta ? [t, k, m] : [t, m, k]) as [number, number, number],
    shapeB: (tb ? [t, n, k] : [t, k, n]) as [number, number, number],
  };
}

/** batchMatMul and tf.matMul of the same operands. */
function both(
  a: Float32Array,
  b: Float32Array,
  o: ReturnType<typeof operands>,
  ta: boolean,
  tb: boolean,
) {
  const x = tf.tensor3d(a, o.shapeA);
  const y = tf.tensor3d(b, o.shapeB);
  const ours = batchMatMul(x, y, ta, tb);
  const theirs = tf.matMul(x, y, ta, tb);
  const result = [Array.from(ours.dataSync()), Array.from(theirs.dataSync())];
  tf.dispose([x, y, ours, theirs]);
  return result;
}

Deno.test("batchMatMul: 0 · NaN and 0 · ±Infinity are NaN, as tf.matMul gives", () => {
  const rng = new Rng(3);
  for (const [ta, tb] of VARIANTS) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (let trial = 0; trial < 6; trial++) {
        const o = operands(rng, ta, tb);
        // The non-finite value in b (met by zeros of a), or in a (met by zeros of b).
        const a = Float32Array.from(o.a);
        const b = Float32Array.from(o.b);
        const target = trial % 2 === 0 ? b : a;
        target[Math.floor(rng.uniform() * target.length)] = bad;
        const [ours, theirs] = both(a, b, o, ta, tb);
        ours.forEach((v, i) => {
          const w = theirs[i];
          if (Number.isNaN(w)) assert.ok(Number.isNaN(v), `${ta}${tb} ${bad} [${i}]: ${v}`);
          else if (!Number.isFinite(w)) assert.equal(v, w, `${ta}${tb} ${bad} [${i}]`);
          else assert.ok(Math.abs(v - w) <= 1e-5 * (1 + Math.abs(w)), `${ta}${tb} [${i}]`);
        });
      }
    }
  }
  // The smallest cases: zeros times a column holding NaN and Infinity, and 0 · Infinity alone.
  const zeros = tf.tensor3d([0, 0], [1, 1, 2]);
  const column = tf.tensor3d([NaN, Infinity], [1, 2, 1]);
  const left = tf.tensor3d([0, 1], [1, 1, 2]);
  const right = tf.tensor3d([Infinity, 2], [1, 2, 1]);
  assert.ok(Number.isNaN(batchMatMul(zeros, column).dataSync()[0]));
  assert.ok(Number.isNaN(batchMatMul(left, right).dataSync()[0]));
  tf.dispose([zeros, column, left, right]);
});

Deno.test("batchMatMul: finite products with exact zeros equal tf.matMul", () => {
  const rng = new Rng(5);
  for (const [ta, tb] of VARIANTS) {
    const o = operands(rng, ta, tb);
    const [ours, theirs] = both(o.a, o.b, o, ta, tb);
    ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= 1e-5 * (1 + Math.abs(theirs[i]))));
  }
});
