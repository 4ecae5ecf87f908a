/**
 * WebAssembly SIMD for the tests of the fused engine's kernels (lib/maml/_axpy.ts): whether the
 * runtime supports it, judged by a module of its own (one function returning a `v128.const`), and
 * the kernels of an arena, which must then exist: a kernel module that fails to compile would
 * otherwise leave the engine on its JavaScript loops and the SIMD tests comparing them with
 * themselves.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Arena, ArenaKernels } from "../../lib/maml/_axpy.ts";

/** `(module (func (result v128) (v128.const i64x2 0 0)))`. */
const SIMD_PROBE = Uint8Array.of(
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // type: () → v128
  ...[0x03, 0x02, 0x01, 0x00], // one function of that type
  ...[0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array(16).fill(0), 0x0b], // v128.const 0
);

/** Whether this runtime compiles WebAssembly SIMD (Deno's V8 does). */
export function supportsWasmSimd(): boolean {
  return typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
}

/**
 * The arena's SIMD kernels; undefined only where the runtime has no WebAssembly SIMD. Fails when
 * the runtime has it but the arena has no kernels (the kernel module did not compile).
 */
export function simdKernels(arena: Arena): ArenaKernels | undefined {
  if (!supportsWasmSimd()) return undefined;
  assert.ok(
    arena.kernels !== undefined,
    "WebAssembly SIMD is supported here, but the arena has no kernels: the module did not compile",
  );
  return arena.kernels;
}
