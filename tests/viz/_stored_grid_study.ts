/**
 * Studies stored as earlier metahpo versions left them: grid values written to ten digits
 * (`0.3333333333` on `float(0, 1, { step: 1 / 3 })`), which their looser on-grid check accepted
 * (`STORED_GRID_TOLERANCE`) and the exact check of new input refuses. For the plots' tests.
 *
 * @module
 */
import { categorical, defineSpace, float, type Space, when } from "../../lib/space/mod.ts";
import type { Storage } from "../../lib/storage/mod.ts";
import type { Trial } from "../../lib/smbo/trial.ts";

/** Three grid and continuous parameters. */
export const gridSpace: Space = defineSpace({
  r: float(0, 1, { step: 1 / 3 }),
  w: float(0, 2, { step: 0.25 }),
  x: float(0, 1),
});

/** A conditional space: `r` is active when `opt` is "a". */
export const conditionalGridSpace: Space = defineSpace({
  opt: categorical(["a", "b"]),
  r: when({ opt: "a" }, float(0, 1, { step: 1 / 3 })),
  w: float(0, 2, { step: 0.25 }),
});

/** One stored configuration and its value; `snapped` is it at its exact grid point. */
export interface OldTrial {
  params: Record<string, unknown>;
  snapped: Record<string, unknown>;
  value: number;
}

const third = (r: number) => r === 0.3333333333 ? 1 / 3 : r === 0.6666666667 ? 2 / 3 : r;

function oldTrials(rows: Record<string, unknown>[], f: (p: Record<string, unknown>) => number) {
  return rows.map((params) => {
    const snapped = Object.hasOwn(params, "r")
      ? { ...params, r: third(params.r as number) }
      : params;
    return { params, snapped, value: f(params) };
  });
}

/** Six trials of `gridSpace`; three hold thirds to ten digits, the best (trial 3) among them. */
export const OLD_GRID_TRIALS: OldTrial[] = oldTrials(
  [
    { r: 1, w: 0.5, x: 0.9 },
    { r: 0, w: 2, x: 0.1 },
    { r: 0.6666666667, w: 1.5, x: 0.5 },
    { r: 0.3333333333, w: 1.25, x: 0.4 },
    { r: 0.6666666667, w: 1, x: 0.7 },
    { r: 1, w: 2, x: 0.2 },
  ],
  (p) => ((p.r as number) - 0.4) ** 2 + ((p.w as number) - 1.2) ** 2 + ((p.x as number) - 0.4) ** 2,
);

/** Six trials of `conditionalGridSpace`; the best (trial 2) holds `r` a third to ten digits. */
export const OLD_CONDITIONAL_TRIALS: OldTrial[] = oldTrials([
  { opt: "a", r: 1, w: 0.5 },
  { opt: "b", w: 2 },
  { opt: "a", r: 0.3333333333, w: 1.25 },
  { opt: "a", r: 0.6666666667, w: 1.5 },
  { opt: "b", w: 0.75 },
  { opt: "a", r: 0, w: 1 },
], (p) => (p.opt === "a" ? ((p.r as number) - 0.4) ** 2 : 0.5) + ((p.w as number) - 1.2) ** 2);

/** Writes a study with these trials, all complete, as an earlier version left it. */
export async function storeOldStudy(
  storage: Storage,
  name: string,
  space: Space,
  trials: readonly OldTrial[],
): Promise<void> {
  await storage.createStudy(
    {
      name,
      space: space.toJSON(),
      settings: {
        seed: 0,
        initialDesign: "sobol",
        initialDesignSize: 5,
        failedTrials: "worst",
        leaseSeconds: 60,
        requeue: false,
      },
    },
    trials.map((t, i) => ({
      params: t.params,
      source: i < 5 ? "initial" : "model",
      value: t.value,
    })),
  );
}

/** The same trials at their exact grid points, as `Trial`s of a study in memory. */
export function snappedTrials(trials: readonly OldTrial[]): Trial[] {
  return trials.map((t, id) => ({
    id,
    params: t.snapped,
    status: "complete" as const,
    value: t.value,
    source: id < 5 ? "initial" as const : "model" as const,
  }));
}
