import type { PreparedDataset } from "../../lib/data/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

/** A regression dataset y = sin(3 x0) + x1 (noise-free, 3 features), split 120/40/40 by hand. */
export function regressionData(): PreparedDataset {
  const rng = new Rng(2);
  const split = (size: number) => {
    const x = Float64Array.from({ length: size * 3 }, () => rng.uniform());
    const y = Float64Array.from({ length: size }, (_, i) => Math.sin(3 * x[3 * i]) + x[3 * i + 1]);
    return { x, y, size };
  };
  return {
    task: "regression",
    numFeatures: 3,
    classLabels: [],
    train: split(120),
    validation: split(40),
    test: split(40),
  } as unknown as PreparedDataset;
}
