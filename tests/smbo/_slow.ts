/**
 * A proposer that is slow once, for the tests of `timeout` in memory and in stored studies.
 *
 * @module
 */
import type { Proposer } from "../../lib/smbo/proposer.ts";

/**
 * `inner`, whose first proposal blocks the event loop (a synchronous busy-wait, as a slow model
 * fit does) until `until()` ms on the `performance` clock; `calls` counts its proposals.
 */
export function slowOnce(inner: Proposer, until: () => number): Proposer & { calls: number } {
  const slow = {
    ...inner,
    calls: 0,
    propose(...args: Parameters<Proposer["propose"]>) {
      if (slow.calls++ === 0) { while (performance.now() < until()) { /* busy */ } }
      return inner.propose(...args);
    },
  };
  return slow;
}
