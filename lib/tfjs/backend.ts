/**
 * TensorFlow.js backend selection, shared by everything that runs tfjs models (the MAML learners,
 * the tabular HPO tasks, the meta-dataset generator).
 *
 * @module
 */
import { tf } from "../deps/tf.ts";

/**
 * The tfjs backends metahpo supports: the plain JavaScript `cpu` backend and the WebAssembly
 * `wasm` backend.
 *
 * @example
 * ```ts
 * import type { Backend } from "./backend.ts";
 * const backend: Backend = "wasm";
 * ```
 */
export type Backend = "cpu" | "wasm";

/**
 * Switches tfjs to `backend` and waits until it is ready. Tensors made on another backend stay
 * readable, but create learners after switching.
 *
 * @example
 * ```ts
 * import { useBackend } from "./backend.ts";
 * await useBackend("wasm");
 * ```
 */
export async function useBackend(backend: Backend): Promise<void> {
  if (backend !== "cpu" && backend !== "wasm") {
    throw new TypeError(
      `useBackend: backend must be "cpu" or "wasm", got ${JSON.stringify(backend)}`,
    );
  }
  if (!(await tf.setBackend(backend))) {
    throw new Error(`useBackend: tfjs could not start ${backend}`);
  }
  await tf.ready();
}
