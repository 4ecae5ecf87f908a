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
/** i32 opcodes. */
export const add = 0x6a, mul = 0x6c, shl = 0x74, geS = 0x4e;
/** `v128.load` at a byte offset (alignment 2³). */
export const vload = (offset: number): Code => [SIMD, 0x00, 0x03, ...leb(offset)];

/** `while (!(exit)) body`: a block around a loop that branches out when `exit` is true. */
export function whileNot(exit: Code, body: Code): Code {
  return [0x02, 0x40, 0x03, 0x40, ...exit, 0x0d, 0x01, ...body, 0x0c, 0x00, 0x0b, 0x0b];
}
