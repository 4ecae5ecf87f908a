// The fused engine's WebAssembly kernels (lib/maml/_axpy.ts) against the plain loops they
// replace, bit for bit: the gathered, register-blocked product must add each element's terms in
// the same order with the same roundings, for every column count (16-column blocks, the 8-column
// block and the 1–7-column tails), with exact zeros, −0 and NaN among the coefficients.
import assert from "node:assert/strict";
import { Arena } from "../../lib/maml/_axpy.ts";
import { Rng } from "../../lib/random/rng.ts";
import { simdKernels, supportsWasmSimd } from "./_simd.ts";

/** Values with exact zeros (a third), some −0, occasionally NaN or ±Infinity. */
function values(rng: Rng, n: number, special = false): number[] {
  return Array.from({ length: n }, () => {
    const u = rng.uniform();
    if (u < 0.3) return 0;
    if (u < 0.33) return -0;
    if (special && u < 0.34) return NaN;
    if (special && u < 0.35) return u < 0.345 ? Infinity : -Infinity;
    return rng.uniform() * 4 - 2;
  });
}

function sameBits(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const a = new BigUint64Array(actual.slice().buffer);
  const b = new BigUint64Array(expected.slice().buffer);
  for (let i = 0; i < a.length; i++) {
    // NaN payloads are not compared: any NaN stands for any other.
    if (Number.isNaN(actual[i]) && Number.isNaN(expected[i])) continue;
    assert.equal(a[i], b[i], `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

Deno.test("the SIMD product adds every element's non-zero terms in order, bit for bit", () => {
  const arena = new Arena(1 << 16);
  // Undefined only without WebAssembly SIMD (the engine then keeps to its loops); fails when the
  // runtime has SIMD but the kernel module did not compile.
  const kernels = simdKernels(arena);
  if (kernels === undefined) return;
  const rng = new Rng(11);
  for (const len of [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 24, 29, 32, 40, 64, 69]) {
    for (const [n1, n2] of [[1, 1], [3, 7], [6, 25], [2, 40]]) {
      for (const transposed of [false, true]) {
        const special = len % 2 === 1;
        const worst = Math.max(n1, n2);
        arena.reset(8 * (n1 * n2 + n2 * len + 2 * n1 * len + 2 * worst) + 4096);
        const x = arena.alloc(n1 * n2);
        const src = arena.alloc(n2 * len);
        const dst = arena.alloc(n1 * len);
        const terms = arena.alloc(2 * worst);
        x.set(values(rng, n1 * n2, special));
        src.set(values(rng, n2 * len, special));
        dst.set(values(rng, n1 * len));
        // x is [n1, n2] row-major, or [n2, n1] read down its columns (Aᵀ·D).
        const [xs1, xs2] = transposed ? [1, n1] : [n2, 1];
        const expected = dst.slice();
        for (let u = 0; u < n1; u++) {
          for (let v = 0; v < n2; v++) {
            const c = x[u * xs1 + v * xs2];
            if (c === 0) continue;
            for (let k = 0; k < len; k++) expected[u * len + k] += c * src[v * len + k];
          }
        }
        kernels.product(
          x.byteOffset,
          8 * xs1,
          8 * xs2,
          n1,
          n2,
          src.byteOffset,
          0,
          8 * len,
          dst.byteOffset,
          8 * len,
          len,
          terms.byteOffset,
        );
        sameBits(dst, expected, `product ${n1}×${n2}×${len}${transposed ? " (Aᵀ)" : ""}`);
      }
    }
  }
});

Deno.test("the SIMD ReLU mask, update and scale equal their JavaScript expressions", () => {
  const arena = new Arena(1 << 16);
  const kernels = simdKernels(arena);
  if (kernels === undefined) return;
  const rng = new Rng(12);
  for (const n of [1, 2, 7, 64, 65]) {
    arena.reset(8 * 4 * (n + 1) + 4096);
    const [z, v, out, w] = [0, 1, 2, 3].map(() => arena.alloc(n));
    z.set(values(rng, n, true));
    v.set(values(rng, n, true));
    w.set(values(rng, n, true));
    // NaN where z is NaN (as tfjs's ReLU), else the bits of `z > 0 ? v : 0`.
    const relu = (zi: number, vi: number) => zi > 0 ? vi : zi !== zi ? zi : 0;
    kernels.mask(z.byteOffset, v.byteOffset, out.byteOffset, n);
    sameBits(out, Float64Array.from(z, (zi, i) => relu(zi, v[i])), `mask ${n}`);
    kernels.mask(z.byteOffset, z.byteOffset, out.byteOffset, n);
    sameBits(out, Float64Array.from(z, (zi) => relu(zi, zi)), `relu ${n}`);
    for (const s of [0.4, 1, -1, -0.37]) {
      kernels.update(v.byteOffset, w.byteOffset, out.byteOffset, n, s);
      sameBits(out, Float64Array.from(v, (vi, i) => vi - s * w[i]), `update ${n} ${s}`);
      kernels.scale(0, w.byteOffset, out.byteOffset, n, s);
      sameBits(out, Float64Array.from(w, (wi) => s * wi), `scale ${n} ${s}`);
    }
    // v − 1·w and v − (−1)·w are v − w and v + w, bit for bit (the engine relies on it).
    kernels.update(v.byteOffset, w.byteOffset, out.byteOffset, n, 1);
    sameBits(out, Float64Array.from(v, (vi, i) => vi - w[i]), `v − w ${n}`);
    kernels.update(v.byteOffset, w.byteOffset, out.byteOffset, n, -1);
    sameBits(out, Float64Array.from(v, (vi, i) => vi + w[i]), `v + w ${n}`);
  }
});

Deno.test("the SIMD ReLU mask: NaN where z is NaN, v where z > 0 (+Inf too), else +0", () => {
  const arena = new Arena(1 << 16);
  const kernels = simdKernels(arena);
  if (kernels === undefined) return;
  const zs = [NaN, Infinity, -Infinity, 0, -0, 1.5, -2.5, NaN, -NaN];
  const vs = [3, -4, 5, 6, -7, 0.25, 8, NaN, 0];
  for (const n of [zs.length, zs.length - 1]) { // an odd last element, and pairs only
    arena.reset(1 << 12);
    const [z, v, out] = [0, 1, 2].map(() => arena.alloc(n));
    z.set(zs.slice(0, n));
    v.set(vs.slice(0, n));
    kernels.mask(z.byteOffset, v.byteOffset, out.byteOffset, n);
    const expected = [NaN, -4, 0, 0, 0, 0.25, 0, NaN, NaN].slice(0, n);
    sameBits(out, Float64Array.from(expected), `mask of ${n}`);
    for (let i = 0; i < n; i++) assert.equal(Number.isNaN(out[i]), Number.isNaN(expected[i]));
    kernels.mask(z.byteOffset, z.byteOffset, out.byteOffset, n);
    const activation = [NaN, Infinity, 0, 0, 0, 1.5, 0, NaN, NaN].slice(0, n);
    sameBits(out, Float64Array.from(activation), `relu of ${n}`);
  }
});

Deno.test("Deno has WebAssembly SIMD, and the arena's kernels compile", () => {
  // The tests above skip only without SIMD; on Deno (V8) the probe must see it, or they would
  // skip for a broken probe.
  assert.ok(supportsWasmSimd(), "Deno's V8 compiles WebAssembly SIMD");
  assert.ok(new Arena(1 << 16).kernels !== undefined);
  // `simd: false` hands out plain arrays without kernels.
  assert.equal(new Arena(1 << 16, false).kernels, undefined);
});
