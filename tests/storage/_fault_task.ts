/**
 * The space and objective of the fault tests (shared by the test and its worker processes).
 *
 * @module
 */
import { categorical, defineSpace, float, int } from "../../lib/space/mod.ts";

/** A small mixed space. */
export const faultSpace = defineSpace({
  x: float(-3, 3),
  y: float(1e-3, 10, { log: true }),
  k: int(0, 1000),
  c: categorical(["red", "green", "blue"]),
});

/** A deterministic objective: the tests recompute it to check stored values. */
export function faultObjective(p: { x: number; y: number; k: number; c: string }): number {
  return (p.x - 0.5) ** 2 + Math.log(p.y) ** 2 + p.k / 1000 + p.c.length;
}
