/**
 * Internal: a minimal WebAssembly assembler shared by the hand-assembled SIMD kernels (the
 * Cholesky routines in `_simd.ts`, the fused meta-gradient products in `lib/maml/_axpy.ts`):
 * instructions as byte arrays, LEB128 immediates, value types and the control-flow shape both use.
 *
 * @module
 */

/** Bytes of one or more instructions. */
export type Code = number[];
/** Value types: i32, f64 and v128. */
export const I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
/** Prefix of the SIMD instructions. */
export const SIMD = 0xfd;

/** Unsigned LEB128 encoding of `value`. */
export function leb(value: number): Code {
  const out: Code = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Signed LEB128 encoding of `value`. */
export function sleb(value: number): Code {
  const out: Code = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** `local.get i`. */
export const get = (i: number): Code => [0x20, i];
/** `local.set i`. */
export const set = (i: number): Code => [0x21, i];
/** `i32.const v`. */
export const i32 = (v: number): Code => [0x41, ...sleb(v)];
/** `local.tee i`. */
export const tee = (i: number): Code => [0x22, i];
/** i32 opcodes. */
export const add = 0x6a, sub = 0x6b, mul = 0x6c, and = 0x71, shl = 0x74, shrU = 0x76;
/** i32 comparisons. */
export const eqz = 0x45, eq = 0x46, ltS = 0x48, geS = 0x4e;
/** f64 opcodes. */
export const f64add = 0xa0, f64sub = 0xa1, f64mul = 0xa2, f64div = 0xa3, f64sqrt = 0x9f;
/** f64 comparisons. */
export const f64ne = 0x62, f64gt = 0x64;
/** `f64.load` and `f64.store` at a byte offset (alignment 2³). */
export const f64load = (offset = 0): Code => [0x2b, 0x03, ...leb(offset)];
/** See {@linkcode f64load}. */
export const f64store = (offset = 0): Code => [0x39, 0x03, ...leb(offset)];
/** `v128.load` at a byte offset (alignment 2³). */
export const vload = (offset: number): Code => [SIMD, 0x00, 0x03, ...leb(offset)];
/** f64x2 opcodes. */
export const vadd: Code = [SIMD, 0xf0, 0x01], vmul: Code = [SIMD, 0xf2, 0x01];
/** `local += by` and `local -= by` (i32). */
export const increment = (local: number, by: number): Code => [
  ...get(local),
  ...i32(by),
  add,
  ...set(local),
];
/** See {@linkcode increment}. */
export const decrement = (local: number, by: number): Code => [
  ...get(local),
  ...i32(by),
  sub,
  ...set(local),
];

/** `while (!(exit)) body`: a block around a loop that branches out when `exit` is true. */
export function whileNot(exit: Code, body: Code): Code {
  return [0x02, 0x40, 0x03, 0x40, ...exit, 0x0d, 0x01, ...body, 0x0c, 0x00, 0x0b, 0x0b];
}

/** One function of a {@linkcode wasmModule}: its type (an index into `types`) and body. */
export interface WasmFunction {
  /** Index of its signature in the module's `types`. */
  readonly type: number;
  /** The encoded body (locals and instructions, ending with `end`). */
  readonly body: Code;
  /** The name it is exported under, if any. */
  readonly export?: string;
}

/**
 * A WebAssembly module that imports its memory as `env.memory` (at least one page) and defines
 * `functions`, exported under their names: the binary header and the type, import, function,
 * export and code sections, shared by the project's SIMD kernels.
 */
export function wasmModule(types: readonly Code[], functions: readonly WasmFunction[]): Uint8Array {
  const section = (id: number, content: Code): Code => [id, ...leb(content.length), ...content];
  const name = (s: string): Code => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const exported = functions.flatMap((f, index) =>
    f.export === undefined ? [] : [[...name(f.export), 0x00, ...leb(index)]]
  );
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [...leb(types.length), ...types.flat()]),
    ...section(2, [0x01, ...name("env"), ...name("memory"), 0x02, 0x00, 0x01]),
    ...section(3, [...leb(functions.length), ...functions.map((f) => f.type)]),
    ...section(7, [...leb(exported.length), ...exported.flat()]),
    ...section(10, [
      ...leb(functions.length),
      ...functions.flatMap((f) => [...leb(f.body.length), ...f.body]),
    ]),
  ]);
}
