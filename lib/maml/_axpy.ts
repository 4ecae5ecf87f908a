/**
 * Internal: the one kernel behind the fused engine's dense products, as a WebAssembly f64x2 SIMD
 * function assembled here byte by byte (no binary blob, no build step), with the same loops in
 * JavaScript as the fallback.
 *
 * `axpyGrid` runs, for u < n1 and v < n2 with c = x[u·xs1 + v·xs2] ≠ 0,
 * dst[u·ds1 + v·ds2 + k] += c · src[u·ss1 + v·ss2 + k] for k < len.
 * With the right strides it is Z += A·W, G += Aᵀ·D and R += D·Wᵀ (W transposed beforehand), each
 * skipping A's or D's exact zeros (ReLU activations and masked errors).
 *
 * @module
 */
import {
  add,
  type Code,
  F64,
  geS,
  get,
  I32,
  i32,
  leb,
  mul,
  set,
  shl,
  SIMD,
  V128,
  vload,
  wasmModule,
  whileNot,
} from "../linalg/_wasm.ts";

const and = 0x71;

// Parameters 0..11: x, xs1, xs2, n1, n2, src, ss1, ss2, dst, ds1, ds2, len.
const [X, XS1, XS2, N1, N2, SRC, SS1, SS2, DST, DS1, DS2, LEN] = [
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
// Locals: i32 u, v, xp, sp, dp, k, end; f64 c; v128 cv.
const [U, V, XP, SP, DP, K, END, C, CV] = [12, 13, 14, 15, 16, 17, 18, 19, 20];

/** `block { loop { if (cond) break; body; continue } }` where `exit` leaves when true. */

const BODY: Code = [
  0x03,
  0x07,
  I32,
  0x01,
  F64,
  0x01,
  V128,
  // end = (len & ~1) * 8 bytes
  ...get(LEN),
  ...i32(1),
  0x76, // i32.shr_u → len >> 1
  ...i32(4),
  shl, // × 16 bytes
  ...set(END),
  ...i32(0),
  ...set(U),
  ...whileNot([...get(U), ...get(N1), geS], [
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
    ...get(DST),
    ...get(U),
    ...get(DS1),
    mul,
    add,
    ...set(DP),
    ...i32(0),
    ...set(V),
    ...whileNot([...get(V), ...get(N2), geS], [
      ...get(XP),
      0x2b,
      0x03,
      0x00, // f64.load
      0x22,
      C, // local.tee c
      0x44,
      ...new Array(8).fill(0), // f64.const 0
      0x62, // f64.ne
      0x04,
      0x40, // if
      ...get(C),
      SIMD,
      0x14, // f64x2.splat
      ...set(CV),
      ...i32(0),
      ...set(K),
      ...whileNot([...get(K), ...get(END), geS], [
        ...get(DP),
        ...get(K),
        add,
        ...get(DP),
        ...get(K),
        add,
        SIMD,
        0x00,
        0x03,
        0x00, // v128.load
        ...get(CV),
        ...get(SP),
        ...get(K),
        add,
        SIMD,
        0x00,
        0x03,
        0x00, // v128.load
        SIMD,
        0xf2,
        0x01, // f64x2.mul
        SIMD,
        0xf0,
        0x01, // f64x2.add
        SIMD,
        0x0b,
        0x03,
        0x00, // v128.store
        ...get(K),
        ...i32(16),
        add,
        ...set(K),
      ]),
      // odd tail
      ...get(LEN),
      ...i32(1),
      and,
      0x04,
      0x40,
      ...get(DP),
      ...get(K),
      add,
      ...get(DP),
      ...get(K),
      add,
      0x2b,
      0x03,
      0x00,
      ...get(C),
      ...get(SP),
      ...get(K),
      add,
      0x2b,
      0x03,
      0x00,
      0xa2, // f64.mul
      0xa0, // f64.add
      0x39,
      0x03,
      0x00, // f64.store
      0x0b,
      0x0b, // end if (c ≠ 0)
      ...get(XP),
      ...get(XS2),
      add,
      ...set(XP),
      ...get(SP),
      ...get(SS2),
      add,
      ...set(SP),
      ...get(DP),
      ...get(DS2),
      add,
      ...set(DP),
      ...get(V),
      ...i32(1),
      add,
      ...set(V),
    ]),
    ...get(U),
    ...i32(1),
    add,
    ...set(U),
  ]),
  0x0b,
];

// gemmRows(x, xs1, xs2, n1, n2, src, ss1, ss2, dst, ds1, chunks): for u < n1 and each chunk of
// 8 doubles k < 8·chunks, dst[u·ds1 + k] += Σ_{v < n2, c ≠ 0} c · src[u·ss1 + v·ss2 + k] with
// c = x[u·xs1 + v·xs2], the chunk held in four f64x2 registers over the whole sum.
const [GX, GXS1, GXS2, GN1, GN2, GSRC, GSS1, GSS2, GDST, GDS1, GCH] = [
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
];
// Locals: i32 u, v, xp, sp, j, jEnd, drow; f64 c; v128 cv, acc0..acc3.
const [GU, GV, GXP, GSP, GJ, GJEND, GDROW, GC, GCV] = [11, 12, 13, 14, 15, 16, 17, 18, 19];
const ACC = [20, 21, 22, 23];
const vstore = (offset: number): Code => [SIMD, 0x0b, 0x03, ...leb(offset)];

const GEMM: Code = [
  0x03,
  0x07,
  I32,
  0x01,
  F64,
  0x05,
  V128,
  ...get(GCH),
  ...i32(6),
  shl, // chunks × 64 bytes
  ...set(GJEND),
  ...i32(0),
  ...set(GU),
  ...whileNot([...get(GU), ...get(GN1), geS], [
    ...get(GDST),
    ...get(GU),
    ...get(GDS1),
    mul,
    add,
    ...set(GDROW),
    ...i32(0),
    ...set(GJ),
    ...whileNot([...get(GJ), ...get(GJEND), geS], [
      // acc_k = dst[drow + j + 16k]
      ...ACC.flatMap((acc, k) => [...get(GDROW), ...get(GJ), add, ...vload(16 * k), ...set(acc)]),
      ...get(GX),
      ...get(GU),
      ...get(GXS1),
      mul,
      add,
      ...set(GXP),
      ...get(GSRC),
      ...get(GU),
      ...get(GSS1),
      mul,
      add,
      ...get(GJ),
      add,
      ...set(GSP),
      ...i32(0),
      ...set(GV),
      ...whileNot([...get(GV), ...get(GN2), geS], [
        ...get(GXP),
        0x2b,
        0x03,
        0x00, // f64.load
        0x22,
        GC, // local.tee c
        0x44,
        ...new Array(8).fill(0),
        0x62, // f64.ne
        0x04,
        0x40,
        ...get(GC),
        SIMD,
        0x14, // f64x2.splat
        ...set(GCV),
        ...ACC.flatMap((acc, k) => [
          ...get(acc),
          ...get(GCV),
          ...get(GSP),
          ...vload(16 * k),
          SIMD,
          0xf2,
          0x01, // f64x2.mul
          SIMD,
          0xf0,
          0x01, // f64x2.add
          ...set(acc),
        ]),
        0x0b,
        ...get(GXP),
        ...get(GXS2),
        add,
        ...set(GXP),
        ...get(GSP),
        ...get(GSS2),
        add,
        ...set(GSP),
        ...get(GV),
        ...i32(1),
        add,
        ...set(GV),
      ]),
      ...ACC.flatMap((acc, k) => [...get(GDROW), ...get(GJ), add, ...get(acc), ...vstore(16 * k)]),
      ...get(GJ),
      ...i32(64),
      add,
      ...set(GJ),
    ]),
    ...get(GU),
    ...i32(1),
    add,
    ...set(GU),
  ]),
  0x0b,
];

function assemble(): Uint8Array {
  return wasmModule(
    [
      [0x60, 12, ...new Array(12).fill(I32), 0x00],
      [0x60, 11, ...new Array(11).fill(I32), 0x00],
    ],
    [
      { type: 0, body: BODY, export: "axpyGrid" },
      { type: 1, body: GEMM, export: "gemmRows" },
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

/** Signature of the kernel: byte addresses and byte strides, `len` in elements. */
export type AxpyGrid = (
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
  ds2: number,
  len: number,
) => void;

/**
 * Signature of the register-blocked kernel: `dst` rows fixed per u, 8-double chunks (`chunks` of
 * them) summed over v in registers.
 */
export type GemmRows = (
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
  chunks: number,
) => void;

/**
 * A bump allocator of float64 arrays in one growable WebAssembly memory, with the SIMD kernel
 * bound to it (undefined without WebAssembly SIMD: plain arrays are handed out).
 */
export class Arena {
  #memory: WebAssembly.Memory | undefined;
  #offset = 0;
  #kernel: AxpyGrid | undefined;
  #gemm: GemmRows | undefined;

  /** An arena of `bytes` bytes at first; `simd: false` hands out plain arrays. */
  constructor(bytes = 1 << 20, simd = true) {
    const wasm = simd ? module() : null;
    if (wasm === null) return;
    try {
      this.#memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
      const exports = new WebAssembly.Instance(wasm, { env: { memory: this.#memory } }).exports;
      this.#kernel = exports.axpyGrid as AxpyGrid;
      this.#gemm = exports.gemmRows as GemmRows;
    } catch {
      this.#memory = undefined;
    }
  }

  /** The kernel, when arrays come from this arena. */
  get kernel(): AxpyGrid | undefined {
    return this.#kernel;
  }

  /** The register-blocked kernel, when arrays come from this arena. */
  get gemm(): GemmRows | undefined {
    return this.#gemm;
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
