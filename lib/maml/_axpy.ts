/**
 * Internal: the fused engine's dense products, its ReLU mask and its element-wise updates as
 * WebAssembly f64x2 SIMD functions assembled here byte by byte (no binary blob, no build step);
 * without WebAssembly SIMD the engine keeps to its JavaScript loops.
 *
 * The product: for u < n1 and every column k < len,
 * dst[u·ds1 + k] += Σ_{v < n2, c ≠ 0} c · src[u·ss1 + v·ss2 + k] with c = x[u·xs1 + v·xs2]
 * (byte addresses and strides). With the right strides it is Z += A·W, G += Aᵀ·D and R += D·Wᵀ
 * (W transposed beforehand), each skipping A's or D's exact zeros: ReLU activations and masked
 * errors, and the blank pixels that make up most of an MNIST image.
 *
 * Every output element is a float64 sum over v in ascending order of the terms with c ≠ 0, each
 * term rounded once by the multiplication and once by the addition, starting from dst's value.
 * The loops are arranged for speed without touching that sequence of roundings, so results are
 * bit for bit those of the plain loop `for v: if (c ≠ 0) for k: dst[k] += c · src[k]`:
 *
 * - the non-zero coefficients of row u are gathered first, with the address of their `src`
 *   rows, into a scratch list (branch-free: each is written at the list's end, which then moves
 *   on by c ≠ 0). The sums then run over that list only, with no test per term: a zero costs
 *   one gathering step instead of a loop turn and a mispredicted branch in every column block
 *   (in the few-shot meta-gradient this alone took 40% off the engine's time);
 * - register blocking over columns: a block of 16 columns (eight f64x2 accumulators) stays in
 *   registers over the whole sum, so dst is read and written once per block instead of once per
 *   term, and the block's eight additions per term are independent chains that keep both adders
 *   busy instead of waiting on one addition's latency;
 * - the sum over the list unrolled by four (less loop bookkeeping per term);
 * - the columns 16-column blocks leave: one 8-column block, then a tail of 1–7 columns (f64x2
 *   accumulators and a scalar one), in registers too (the 5-class output layer is such a tail).
 *
 * The ReLU mask, `out[i] = z[i] > 0 ? v[i] : z[i] is NaN ? z[i] : 0` (the activation with
 * v = z, and its derivative applied to v), is two f64x2 comparisons and bitwise ands and ors:
 * the bits of the JavaScript conditional (v's bits where z > 0, +Inf included; a NaN where z is
 * NaN, which propagates as in tfjs; +0 elsewhere, −Inf included) without the mispredicted branch
 * per element that ReLU's random signs cost the JavaScript loop. `update` (out = a − s·b) and `scale`
 * (out = s·b) do the engine's per-parameter steps two elements at a time, with the roundings of
 * the JavaScript expressions (a multiplication, then a subtraction).
 *
 * Deliberately not done, because each would change results: fused multiply-add (relaxed SIMD,
 * one rounding per term instead of two), float32 arithmetic, or summing an element's terms in
 * another order (pairwise, or several partial sums per element).
 *
 * @module
 */
import {
  add,
  and,
  type Code,
  eq,
  F64,
  f64add,
  f64gt,
  f64load,
  f64mul,
  f64ne,
  f64store,
  geS,
  get,
  I32,
  i32,
  increment,
  leb,
  ltS,
  mul,
  set,
  shl,
  shrU,
  SIMD,
  sub,
  tee,
  V128,
  vadd,
  vload,
  vmul,
  wasmModule,
  whileNot,
} from "../linalg/_wasm.ts";

const vstore = (offset: number): Code => [SIMD, 0x0b, 0x03, ...leb(offset)];
const iload: Code = [0x28, 0x02, 0x00];
const istore: Code = [0x36, 0x02, 0x00];
const f64Zero: Code = [0x44, ...new Array(8).fill(0)];

// product(x, xs1, xs2, n1, n2, src, ss1, ss2, dst, ds1, len, terms): parameters 0..11.
const [X, XS1, XS2, N1, N2, SRC, SS1, SS2, DST, DS1, LEN, TERMS] = [
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
];
// Locals: i32 u, v, xp, sp, j, drow, end, cp, ip, rows, bytes; f64 c, s; v128 cv, acc0..acc7.
const [U, V, XP, SP, J, DROW, END, CP, IP, ROWS, BYTES] = [
  12,
  13,
  14,
  15,
  16,
  17,
  18,
  19,
  20,
  21,
  22,
];
const [C, S, CV] = [23, 24, 25];
const FIRST_ACC = 26;
/** f64x2 accumulators of a wide block (16 columns). */
const WIDE = 8;
/** Terms per turn of the unrolled sum. */
const UNROLL = 4;

/**
 * One column block at byte column `j` of row u: `vectors` f64x2 accumulators (and a scalar one
 * when `odd`) loaded from dst, summed over the gathered terms in order, stored, and j moved on.
 */
function block(vectors: number, odd: boolean): Code {
  const accs = Array.from({ length: vectors }, (_, k) => FIRST_ACC + k);
  const at: Code = [...get(DROW), ...get(J), add]; // the block's address in dst
  const term: Code = [
    ...get(CP),
    ...f64load(0),
    ...set(C),
    ...get(IP),
    ...iload,
    ...get(J),
    add,
    ...set(SP),
    ...(vectors > 0 ? [...get(C), SIMD, 0x14, ...set(CV)] : []), // f64x2.splat
    ...accs.flatMap((acc, k) => [
      ...get(acc),
      ...get(CV),
      ...get(SP),
      ...vload(16 * k),
      ...vmul,
      ...vadd,
      ...set(acc),
    ]),
    ...(odd
      ? [...get(S), ...get(C), ...get(SP), ...f64load(16 * vectors), f64mul, f64add, ...set(S)]
      : []),
    ...increment(CP, 8),
    ...increment(IP, 4),
  ];
  return [
    ...accs.flatMap((acc, k) => [...at, ...vload(16 * k), ...set(acc)]),
    ...(odd ? [...at, ...f64load(16 * vectors), ...set(S)] : []),
    ...get(TERMS),
    ...set(CP),
    ...get(ROWS),
    ...set(IP),
    // cp + 8·(UNROLL − 1) < end: UNROLL terms, then the remaining ones one by one.
    ...whileNot(
      [...get(CP), ...i32(8 * (UNROLL - 1)), add, ...get(END), geS],
      Array.from({ length: UNROLL }, () => term).flat(),
    ),
    ...whileNot([...get(CP), ...get(END), geS], term),
    ...accs.flatMap((acc, k) => [...at, ...get(acc), ...vstore(16 * k)]),
    ...(odd ? [...at, ...get(S), ...f64store(16 * vectors)] : []),
    ...get(J),
    ...i32(8 * (2 * vectors + (odd ? 1 : 0))),
    add,
    ...set(J),
  ];
}

/** The product of the module documentation (`terms`: scratch of 12·n2 bytes). */
function product(): Code {
  const left: Code = [...get(BYTES), ...get(J), sub]; // bytes of row u's columns still to do
  return [
    0x03,
    0x0b,
    I32,
    0x02,
    F64,
    ...leb(1 + WIDE),
    V128,
    // coefficients at terms (8 bytes each), then their src row addresses at rows (4 bytes each)
    ...get(TERMS),
    ...get(N2),
    ...i32(3),
    shl,
    add,
    ...set(ROWS),
    ...get(LEN),
    ...i32(3),
    shl,
    ...set(BYTES),
    ...i32(0),
    ...set(U),
    ...whileNot([...get(U), ...get(N1), geS], [
      // Gather row u's non-zero coefficients in ascending v.
      ...get(X),
      ...get(U),
      ...get(XS1),
      mul,
      add,
      ...set(XP),
      ...get(SRC),
      ...get(U),
      ...get(SS1),
      mul,
      add,
      ...set(SP),
      ...get(TERMS),
      ...set(CP),
      ...get(ROWS),
      ...set(IP),
      ...i32(0),
      ...set(V),
      ...whileNot([...get(V), ...get(N2), geS], [
        ...get(CP),
        ...get(XP),
        ...f64load(0),
        ...tee(C),
        ...f64store(0),
        ...get(IP),
        ...get(SP),
        ...istore,
        // the list's end moves on when c ≠ 0 (NaN included, −0 not: as the test `c !== 0`);
        // `end` holds that flag until the list is complete
        ...get(C),
        ...f64Zero,
        f64ne,
        ...tee(END),
        ...i32(3),
        shl,
        ...get(CP),
        add,
        ...set(CP),
        ...get(END),
        ...i32(2),
        shl,
        ...get(IP),
        add,
        ...set(IP),
        ...get(XP),
        ...get(XS2),
        add,
        ...set(XP),
        ...get(SP),
        ...get(SS2),
        add,
        ...set(SP),
        ...increment(V, 1),
      ]),
      ...get(CP),
      ...set(END),
      // Sum them into row u's column blocks.
      ...get(DST),
      ...get(U),
      ...get(DS1),
      mul,
      add,
      ...set(DROW),
      ...i32(0),
      ...set(J),
      ...whileNot([...left, ...i32(16 * WIDE), ltS], block(WIDE, false)),
      ...left,
      ...i32(16 * (WIDE / 2)),
      geS,
      0x04,
      0x40,
      ...block(WIDE / 2, false),
      0x0b,
      ...Array.from({ length: WIDE - 1 }, (_, r) => r + 1).flatMap((r) => [
        ...left,
        ...i32(8 * r),
        eq,
        0x04,
        0x40,
        ...block(r >> 1, (r & 1) === 1),
        0x0b,
      ]),
      ...increment(U, 1),
    ]),
    0x0b,
  ];
}

/**
 * mask(z, v, out, n): out[i] = z[i] > 0 ? v[i] : z[i] is NaN ? z[i] : +0 for i < n (byte
 * addresses): pairs by (v and (z > 0)) or (z and (z ≠ z)) (f64x2.gt, f64x2.ne, v128.and,
 * v128.or), an odd last element by two `select`s.
 */
function mask(): Code {
  const [Z, VV, OUT, N] = [0, 1, 2, 3];
  const [I, END2, ZV] = [4, 5, 6];
  const at = (base: number): Code => [...get(base), ...get(I), add];
  return [
    0x02,
    0x02,
    I32,
    0x01,
    V128,
    ...get(N),
    ...i32(1),
    shrU,
    ...i32(4),
    shl, // pairs × 16 bytes
    ...set(END2),
    ...i32(0),
    ...set(I),
    ...whileNot([...get(I), ...get(END2), geS], [
      ...at(OUT),
      ...at(VV),
      ...vload(0),
      ...at(Z),
      ...vload(0),
      ...tee(ZV),
      SIMD,
      0x0c,
      ...new Array(16).fill(0), // v128.const 0
      SIMD,
      0x4a, // f64x2.gt
      SIMD,
      0x4e, // v128.and: v where z > 0, else +0
      ...get(ZV),
      ...get(ZV),
      SIMD,
      0x48, // f64x2.ne: all ones where z is NaN
      ...get(ZV),
      SIMD,
      0x4e, // v128.and: z's NaN where z is NaN, else +0
      SIMD,
      0x50, // v128.or (no bit changes where z is not NaN)
      ...vstore(0),
      ...increment(I, 16),
    ]),
    ...get(N),
    ...i32(1),
    and,
    0x04,
    0x40, // if (n odd)
    ...at(OUT),
    ...at(Z),
    ...f64load(0),
    ...at(VV),
    ...f64load(0),
    ...f64Zero,
    ...at(Z),
    ...f64load(0),
    ...f64Zero,
    f64gt,
    0x1b, // select: z > 0 ? v : +0
    ...at(Z),
    ...f64load(0),
    ...at(Z),
    ...f64load(0),
    f64ne,
    0x1b, // select: z ≠ z ? z : (the above)
    ...f64store(0),
    0x0b,
    0x0b,
  ];
}

/**
 * `(a, b, out, n, s)`: out[i] = a[i] − s·b[i] (`update`) or out[i] = s·b[i] (`scale`, a unused)
 * for i < n (byte addresses): the multiplication, then the subtraction, as in JavaScript.
 */
function elementwise(subtract: boolean): Code {
  const [A, B, OUT, N, SCALAR] = [0, 1, 2, 3, 4];
  const [I, END2, SV] = [5, 6, 7];
  const at = (base: number): Code => [...get(base), ...get(I), add];
  const vsub: Code = [SIMD, 0xf1, 0x01];
  return [
    0x02,
    0x02,
    I32,
    0x01,
    V128,
    ...get(SCALAR),
    SIMD,
    0x14,
    ...set(SV),
    ...get(N),
    ...i32(1),
    shrU,
    ...i32(4),
    shl,
    ...set(END2),
    ...i32(0),
    ...set(I),
    ...whileNot([...get(I), ...get(END2), geS], [
      ...at(OUT),
      ...(subtract ? [...at(A), ...vload(0)] : []),
      ...get(SV),
      ...at(B),
      ...vload(0),
      ...vmul,
      ...(subtract ? vsub : []),
      ...vstore(0),
      ...increment(I, 16),
    ]),
    ...get(N),
    ...i32(1),
    and,
    0x04,
    0x40, // if (n odd)
    ...at(OUT),
    ...(subtract ? [...at(A), ...f64load(0)] : []),
    ...get(SCALAR),
    ...at(B),
    ...f64load(0),
    f64mul,
    ...(subtract ? [0xa1] : []), // f64.sub
    ...f64store(0),
    0x0b,
    0x0b,
  ];
}

function assemble(): Uint8Array {
  return wasmModule(
    [
      [0x60, 12, ...new Array(12).fill(I32), 0x00],
      [0x60, 4, I32, I32, I32, I32, 0x00],
      [0x60, 5, I32, I32, I32, I32, F64, 0x00],
    ],
    [
      { type: 0, body: product(), export: "product" },
      { type: 1, body: mask(), export: "mask" },
      { type: 2, body: elementwise(true), export: "update" },
      { type: 2, body: elementwise(false), export: "scale" },
    ],
  );
}

let compiled: WebAssembly.Module | null | undefined;

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(assemble() as BufferSource);
    } catch {
      compiled = null; // no WebAssembly SIMD: the JavaScript loops serve
    }
  }
  return compiled;
}

/**
 * The product of the module documentation: byte addresses and byte strides, `len` in elements,
 * `terms` the byte address of a scratch of at least 12·n2 bytes in the same memory.
 */
export type DenseProduct = (
  x: number,
  xs1: number,
  xs2: number,
  n1: number,
  n2: number,
  src: number,
  ss1: number,
  ss2: number,
  dst: number,
  ds1: number,
  len: number,
  terms: number,
) => void;

/**
 * `(z, v, out, n)`: out[i] = z[i] > 0 ? v[i] : z[i] is NaN ? z[i] : 0 for i < n (byte
 * addresses).
 */
export type ReluMask = (z: number, v: number, out: number, n: number) => void;

/**
 * `(a, b, out, n, s)` on byte addresses: out[i] = a[i] − s·b[i] (`update`), or out[i] = s·b[i]
 * (`scale`, `a` unused), for i < n.
 */
export type Elementwise = (a: number, b: number, out: number, n: number, s: number) => void;

/** The SIMD functions bound to an arena's memory. */
export interface ArenaKernels {
  /** The product of the module documentation. */
  readonly product: DenseProduct;
  /** The ReLU mask. */
  readonly mask: ReluMask;
  /** out = a − s·b. */
  readonly update: Elementwise;
  /** out = s·b. */
  readonly scale: Elementwise;
}

/**
 * A bump allocator of float64 arrays in one growable WebAssembly memory, with the SIMD functions
 * bound to it (undefined without WebAssembly SIMD: plain arrays are handed out).
 */
export class Arena {
  #memory: WebAssembly.Memory | undefined;
  #offset = 0;
  #kernels: ArenaKernels | undefined;

  /** An arena of `bytes` bytes at first; `simd: false` hands out plain arrays. */
  constructor(bytes = 1 << 20, simd = true) {
    const wasm = simd ? module() : null;
    if (wasm === null) return;
    try {
      this.#memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
      const exports = new WebAssembly.Instance(wasm, { env: { memory: this.#memory } }).exports;
      this.#kernels = {
        product: exports.product as DenseProduct,
        mask: exports.mask as ReluMask,
        update: exports.update as Elementwise,
        scale: exports.scale as Elementwise,
      };
    } catch {
      this.#memory = undefined;
    }
  }

  /** The SIMD functions, for arrays of this arena. */
  get kernels(): ArenaKernels | undefined {
    return this.#kernels;
  }

  /** The memory's buffer (arrays of this arena are views of it). */
  get buffer(): ArrayBufferLike | undefined {
    return this.#memory?.buffer;
  }

  /** Frees everything (earlier arrays are overwritten by later allocations). */
  reset(bytes: number): void {
    this.#offset = 0;
    const memory = this.#memory;
    if (memory && memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    }
  }

  /** A zero-filled array of `length` float64s (16-byte aligned). */
  alloc(length: number): Float64Array {
    const memory = this.#memory;
    if (memory === undefined) return new Float64Array(length);
    const bytes = Math.ceil(length / 2) * 16;
    if (this.#offset + bytes > memory.buffer.byteLength) {
      throw new RangeError("Arena: out of reserved memory (reset with a larger size)");
    }
    const view = new Float64Array(memory.buffer, this.#offset, length);
    view.fill(0);
    this.#offset += bytes;
    return view;
  }
}
