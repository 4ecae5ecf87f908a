/**
 * Internal: the O(n³) kernels of the Cholesky routines (factorisation, inverse of the factor's
 * transpose, and the symmetric product giving A⁻¹) as a small WebAssembly module using f64x2
 * SIMD, assembled here byte by byte (no binary blob, no build step).
 *
 * Arrays allocated by {@linkcode simdArrays} live in one WebAssembly memory per call; the routines
 * of `cholesky.ts` detect such arrays and run the module's code on them, which is several times
 * faster than scalar JavaScript loops. Everything else (plain `Float64Array`s, or engines without
 * WebAssembly SIMD) takes the JavaScript path, with identical results up to rounding.
 *
 * @module
 */
import {
  add,
  type Code,
  decrement,
  eqz,
  F64,
  f64add,
  f64div,
  f64gt,
  f64load,
  f64mul,
  f64sqrt,
  f64store,
  f64sub,
  geS,
  get,
  I32,
  i32,
  increment,
  ltS,
  mul,
  set,
  shl,
  SIMD,
  sub,
  tee,
  V128,
  vadd,
  vload,
  vmul,
  wasmModule,
  whileNot,
} from "./_wasm.ts";

// ---- A minimal assembler: byte arrays for instructions, named locals per function. ----

const f64 = (v: number): Code => [0x44, ...new Uint8Array(Float64Array.of(v).buffer)];
const lane = (k: number): Code => [SIMD, 0x21, k];
const call = (f: number): Code => [0x10, f];
/** A function body's local declarations: groups of (count, type), counts below 128. */
const locals = (...groups: [number, number][]): Code => [groups.length, ...groups.flat()];
/** Byte offset `idx`·n·8 of row `idx` of an n-column double matrix. */
const rowOffset = (idx: number, n: number): Code => [...get(idx), ...get(n), mul, ...i32(3), shl];
/** `r = base + idx·n·8`: the address of row `idx` of the n-column matrix at `base`. */
const setRow = (base: number, r: number, idx: number, n: number): Code => [
  ...get(base),
  ...rowOffset(idx, n),
  add,
  ...set(r),
];

/** `for (idx = start; idx < end; idx++) body` with start/end as expressions. */
function forLoop(idx: number, start: Code, end: Code, body: Code): Code {
  return [
    ...start,
    ...set(idx),
    ...whileNot([...get(idx), ...end, geS], [...body, ...increment(idx, 1)]),
  ];
}

/** Byte address of element `index` (an i32 expression) of a double array based at `base`. */
const at = (base: Code, index: Code): Code => [...base, ...index, ...i32(3), shl, add];

// dot(pa, pb, len) -> f64: four f64x2 accumulators over 8 doubles per step, then a scalar tail.
const DOT: Code = (() => {
  const [pa, pb, len, a0, a1, a2, a3, tail] = [0, 1, 2, 3, 4, 5, 6, 7];
  const accumulators = [a0, a1, a2, a3];
  return [
    ...locals([4, V128], [1, F64]),
    ...whileNot([...get(len), ...i32(8), ltS], [
      ...accumulators.flatMap((acc, u) => [
        ...get(acc),
        ...get(pa),
        ...vload(16 * u),
        ...get(pb),
        ...vload(16 * u),
        ...vmul,
        ...vadd,
        ...set(acc),
      ]),
      ...increment(pa, 64),
      ...increment(pb, 64),
      ...decrement(len, 8),
    ]),
    ...whileNot([...get(len), eqz], [
      ...get(tail),
      ...get(pa),
      ...f64load(),
      ...get(pb),
      ...f64load(),
      f64mul,
      f64add,
      ...set(tail),
      ...increment(pa, 8),
      ...increment(pb, 8),
      ...decrement(len, 1),
    ]),
    ...get(a0),
    ...get(a1),
    ...vadd,
    ...get(a2),
    ...get(a3),
    ...vadd,
    ...vadd,
    ...tee(a0),
    ...lane(0),
    ...get(a0),
    ...lane(1),
    f64add,
    ...get(tail),
    f64add,
    0x0b,
  ];
})();

// chol(pa, pl, n, jitter) -> 1 on success, 0 at a non-positive pivot. Row-oriented Cholesky–Crout.
const CHOL: Code = (() => {
  const [pa, pl, n, jitter, i, j, ri, rj, s] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const row = (r: number, idx: number) => setRow(pl, r, idx, n);
  const aRow: Code = [...get(pa), ...get(ri), add, ...get(pl), sub]; // address of A[i, 0]
  return [
    ...locals([4, I32], [1, F64]),
    ...forLoop(i, i32(0), get(n), [
      ...row(ri, i), // ri = address of L[i, 0]
      ...forLoop(j, i32(0), get(i), [
        ...row(rj, j),
        ...at(get(ri), get(j)),
        ...at(aRow, get(j)),
        ...f64load(),
        ...get(ri),
        ...get(rj),
        ...get(j),
        ...call(0),
        f64sub,
        ...at(get(rj), get(j)),
        ...f64load(),
        f64div,
        ...f64store(),
      ]),
      ...at(aRow, get(i)),
      ...f64load(),
      ...get(jitter),
      f64add,
      ...get(ri),
      ...get(ri),
      ...get(i),
      ...call(0),
      f64sub,
      ...tee(s),
      ...f64(0),
      f64gt,
      eqz,
      0x04,
      0x40,
      ...i32(0),
      0x0f,
      0x0b, // if !(s > 0) return 0
      ...at(get(ri), get(i)),
      ...get(s),
      f64sqrt,
      ...f64store(),
      ...forLoop(j, [...get(i), ...i32(1), add], get(n), [
        ...at(get(ri), get(j)),
        ...f64(0),
        ...f64store(),
      ]),
    ]),
    ...i32(1),
    0x0b,
  ];
})();

// invlt(pl, pmt, n): mt = (L⁻¹)ᵀ, row j of mt = column j of L⁻¹ by forward substitution.
const INVLT: Code = (() => {
  const [pl, pmt, n, i, j, c, ri, rj, lj] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const row = (base: number, r: number, idx: number) => setRow(base, r, idx, n);
  return [
    ...locals([6, I32]),
    ...forLoop(j, i32(0), get(n), [
      ...row(pmt, rj, j), // rj = address of mt[j, 0]
      ...row(pl, lj, j), // lj = address of L[j, 0]
      ...forLoop(c, i32(0), get(j), [...at(get(rj), get(c)), ...f64(0), ...f64store()]),
      ...at(get(rj), get(j)),
      ...f64(1),
      ...at(get(lj), get(j)),
      ...f64load(),
      f64div,
      ...f64store(),
      ...forLoop(i, [...get(j), ...i32(1), add], get(n), [
        ...row(pl, ri, i),
        ...at(get(rj), get(i)),
        ...f64(0),
        ...at(get(ri), get(j)),
        ...at(get(rj), get(j)),
        ...get(i),
        ...get(j),
        sub,
        ...call(0),
        f64sub,
        ...at(get(ri), get(i)),
        ...f64load(),
        f64div,
        ...f64store(),
      ]),
    ]),
    0x0b,
  ];
})();

// syinv(pmt, pout, n): out[a, b] = out[b, a] = Σ_{k ≥ a} mt[a, k]·mt[b, k] for b ≤ a.
const SYINV: Code = (() => {
  const [pmt, pout, n, a, b, ra, rb, v] = [0, 1, 2, 3, 4, 5, 6, 7];
  return [
    ...locals([4, I32], [1, F64]),
    ...forLoop(a, i32(0), get(n), [
      ...rowOffset(a, n),
      ...set(ra),
      ...forLoop(b, i32(0), [...get(a), ...i32(1), add], [
        ...rowOffset(b, n),
        ...set(rb),
        ...at([...get(pmt), ...get(ra), add], get(a)),
        ...at([...get(pmt), ...get(rb), add], get(a)),
        ...get(n),
        ...get(a),
        sub,
        ...call(0),
        ...set(v),
        ...at([...get(pout), ...get(ra), add], get(b)),
        ...get(v),
        ...f64store(),
        ...at([...get(pout), ...get(rb), add], get(a)),
        ...get(v),
        ...f64store(),
      ]),
    ]),
    0x0b,
  ];
})();

function assemble(): Uint8Array {
  return wasmModule(
    [
      [0x60, 0x03, I32, I32, I32, 0x01, F64], // 0: dot
      [0x60, 0x04, I32, I32, I32, F64, 0x01, I32], // 1: chol
      [0x60, 0x03, I32, I32, I32, 0x00], // 2: invlt, syinv
    ],
    [
      { type: 0, body: DOT },
      { type: 1, body: CHOL, export: "chol" },
      { type: 2, body: INVLT, export: "invlt" },
      { type: 2, body: SYINV, export: "syinv" },
    ],
  );
}

/** The exported functions of one instance; addresses are byte offsets into its memory. */
export interface SimdKernels {
  chol(pa: number, pl: number, n: number, jitter: number): number;
  invlt(pl: number, pmt: number, n: number): void;
  syinv(pmt: number, pout: number, n: number): void;
}

let compiled: WebAssembly.Module | null | undefined;
const engines = new WeakMap<ArrayBufferLike, SimdKernels>();

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(assemble() as BufferSource);
    } catch {
      compiled = null; // no WebAssembly SIMD here: the JavaScript loops serve
    }
  }
  return compiled;
}

/**
 * Allocates zero-filled `Float64Array`s of the given lengths in one fresh WebAssembly memory
 * (16-byte aligned). `choleskyInPlace`/`cholesky` (matrix and `out` from the same call) and
 * `inverseFromCholesky` (factor, `out` and `workspace` from the same call) run WebAssembly SIMD
 * code on them; other routines treat them as ordinary arrays. Plain arrays are returned when
 * WebAssembly SIMD is unavailable. Use it for buffers reused in a hot loop (e.g. marginal-likelihood
 * evaluations).
 *
 * @example
 * ```ts
 * import { cholesky, simdArrays } from "./mod.ts";
 * const [a, l] = simdArrays([4, 4]);
 * a.set([4, 2, 2, 3]);
 * cholesky(a, 2, { out: l }); // l = [2, 0, 1, √2], computed by the SIMD kernel
 * ```
 */
export function simdArrays(lengths: readonly number[]): Float64Array[] {
  const wasm = module();
  if (wasm === null) return lengths.map((length) => new Float64Array(length));
  const padded = lengths.map((length) => Math.ceil(length / 2) * 2);
  const bytes = 8 * padded.reduce((s, v) => s + v, 0);
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  } catch {
    // Out of address space for yet another memory (each reserves guard regions): plain arrays.
    return lengths.map((length) => new Float64Array(length));
  }
  const exports = new WebAssembly.Instance(wasm, { env: { memory } }).exports;
  engines.set(memory.buffer, exports as unknown as SimdKernels);
  let offset = 0;
  return lengths.map((length, k) => {
    const view = new Float64Array(memory.buffer, offset, length);
    offset += 8 * padded[k];
    return view;
  });
}

/** The SIMD kernels owning all of `arrays`' memory, or undefined (mixed or plain arrays). */
export function simdKernelsFor(...arrays: Float64Array[]): SimdKernels | undefined {
  const buffer = arrays[0].buffer;
  for (let k = 1; k < arrays.length; k++) if (arrays[k].buffer !== buffer) return undefined;
  return engines.get(buffer);
}
