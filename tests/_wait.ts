/**
 * Timing helpers shared by the tests of time limits.
 *
 * @module
 */

/** Resolves after `ms`, or at once when `signal` aborts (clearing its timer). */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
