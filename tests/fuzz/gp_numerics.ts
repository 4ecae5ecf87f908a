/**
 * GP numerics at large n, timed (`deno task fuzz:gp`): exact duplicates, near-duplicates, constant
 * targets and 1e12 outliers at n = 1,000, 2,000 and 5,000 in 4 dimensions (data of
 * tests/gp/_numerics.ts). For each size and kind: the time of `fitGP` with fixed hyperparameters
 * (the Cholesky factorisation and log marginal likelihood), of `predict` at 1,000 points, and the
 * check that every prediction is finite; then a full MAP fit with the default options at the
 * sizes given by `--map` (default 1,000). Prints one JSON line per measurement.
 *
 *     deno task fuzz:gp                         # n = 1000, 2000, 5000; MAP fit at 1000
 *     deno task fuzz:gp --sizes 1000 --map ""   # quick
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fitGP, GP_DEFAULTS } from "../../lib/gp/gp.ts";
import { Rng } from "../../lib/random/rng.ts";
import { checkFinitePredictions, hardData } from "../gp/_numerics.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    sizes: { type: "string", default: "1000,2000,5000" },
    map: { type: "string", default: "1000" },
  },
});
const list = (text: string) =>
  text.split(",").filter((s) => s.trim() !== "").map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new TypeError(`fuzz:gp: bad size "${s}"`);
    return n;
  });
const seconds = (start: number) => Number(((performance.now() - start) / 1000).toFixed(2));
const dim = 4;
const queries = Array.from({ length: 1000 }, (_, i) => new Rng(i).uniforms(dim));

for (const n of list(args.sizes)) {
  for (const kind of ["outliers", "constant"] as const) {
    const { points, values } = hardData(n, dim, kind);
    let start = performance.now();
    const gp = fitGP(points, values, {
      hyperparameters: { kernel: [0.2, 0.2, 0.2, 0.2, 1], noise: GP_DEFAULTS.bounds.noise[0] },
    });
    const fit = seconds(start);
    start = performance.now();
    gp.predict(queries);
    const predict = seconds(start);
    checkFinitePredictions(gp, points.slice(0, 500));
    console.log(JSON.stringify({
      n,
      kind,
      step: "fixed-hyperparameters",
      fitSeconds: fit,
      predict1000Seconds: predict,
      jitter: gp.jitter,
      finite: true,
    }));
  }
}
for (const n of list(args.map)) {
  const { points, values } = hardData(n, dim, "outliers");
  const start = performance.now();
  const gp = fitGP(points, values, { rng: new Rng(0) });
  const fit = seconds(start);
  checkFinitePredictions(gp, points.slice(0, 500));
  console.log(JSON.stringify({
    n,
    kind: "outliers",
    step: "MAP fit (defaults: 1 + 2 restarts)",
    fitSeconds: fit,
    evaluations: gp.fit.evaluations,
    noise: gp.hyperparameters.noise,
    finite: true,
  }));
}
