/**
 * TensorFlow.js at the level every tfjs user of the library shares: backend selection. The pinned
 * tfjs import itself lives in `lib/deps/tf.ts`.
 *
 * @example
 * ```ts
 * import { useBackend } from "./mod.ts";
 * await useBackend("cpu");
 * ```
 *
 * @module
 */
export { type Backend, useBackend } from "./backend.ts";
