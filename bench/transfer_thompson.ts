/**
 * Cost of Thompson sampling with RGPE (`bayesOpt({ surrogate: rgpe(baseModels), acquisition:
 * "ts" })`) on a mixed space: the ensemble's posterior paths (`WeightedEnsemble.samplePaths`,
 * maximised as a GP's path) against one exact joint draw over the optimiser's candidates (the same
 * ensemble with its `samplePaths` hidden, so that `bayesOpt` falls back to `sampleJoint`), in one
 * process, the two interleaved seed by seed. Past tasks: `--tasks` shifted quadratics of 20
 * random trials each on a space of two floats, an integer and a 3-level categorical. Prints one
 * Markdown table (seconds per model-based proposal, median over seeds, and their ratio); with
 * `--out DIR` it also writes it (`summary.md`) and the run's `provenance.json`.
 *
 * usage: deno run -A bench/transfer_thompson.ts [--tasks 4] [--seeds 2] [--budget 4] [--out DIR]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { categorical, defineSpace, float, int } from "../lib/space/mod.ts";
import { minimize } from "../lib/smbo/minimize.ts";
import { bayesOpt } from "../lib/smbo/bayes_opt.ts";
import { PreparedPrior } from "../lib/meta/transfer.ts";
import { rgpe } from "../lib/meta/rgpe.ts";
import type { Surrogate, SurrogateFactory } from "../lib/models/surrogate.ts";
import { Rng } from "../lib/random/rng.ts";
import { median } from "../lib/stats/mod.ts";
import { formatNumber } from "../lib/viz/table.ts";
import { runProvenance } from "./provenance.ts";

const space = defineSpace({
  x: float(0, 1),
  y: float(0, 1),
  n: int(1, 8),
  c: categorical(["a", "b", "c"]),
});
type P = { x: number; y: number; n: number; c: string };
const task = (shift: number) => (p: P) =>
  (p.x - shift) ** 2 + (p.y - 0.3) ** 2 + 0.05 * p.n + (p.c === "b" ? 0 : 0.2);

/** `factory`'s surrogates without `samplePaths`: Thompson sampling then draws exact joint samples. */
function withoutPaths(factory: SurrogateFactory): SurrogateFactory {
  return {
    name: `${factory.name}-exact`,
    fit(points, values, rng, hints) {
      const s = factory.fit(points, values, rng, hints) as Surrogate;
      return {
        dim: s.dim,
        predict: (x) => s.predict(x),
        predictWithGradient: (x) => s.predictWithGradient(x),
        sampleJoint: (x, c, r) => s.sampleJoint(x, c, r),
      };
    },
  };
}

if (import.meta.main) {
  const started = performance.now();
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      tasks: { type: "string", default: "4" },
      seeds: { type: "string", default: "2" },
      budget: { type: "string", default: "4" },
      out: { type: "string" },
    },
    strict: true,
  });
  const [tasks, seeds, budget] = [values.tasks, values.seeds, values.budget].map(Number);
  if (![tasks, seeds, budget].every((v) => Number.isInteger(v) && v >= 1) || budget < 2) {
    console.error("--tasks, --seeds: positive integers; --budget: an integer ≥ 2");
    Deno.exit(2);
  }
  const rng = new Rng(1);
  const prior = PreparedPrior.from(
    Array.from({ length: tasks }, (_, t) => {
      const f = task(t / tasks);
      return {
        id: `t${t}`,
        trials: space.sample(20, rng).map((p) => ({ params: p, value: f(p) })),
      };
    }),
    space,
  );
  const arms: Record<string, SurrogateFactory> = {
    paths: rgpe(prior.baseModels),
    "exact joint draw": withoutPaths(rgpe(prior.baseModels)),
  };
  const seconds: Record<string, number[]> = { paths: [], "exact joint draw": [] };
  for (let seed = 0; seed < seeds; seed++) {
    for (const [arm, surrogate] of Object.entries(arms)) {
      const proposer = bayesOpt({ surrogate, acquisition: "ts" });
      const timed = {
        ...proposer,
        propose(...args: Parameters<typeof proposer.propose>) {
          const t0 = performance.now();
          const points = proposer.propose(...args);
          seconds[arm].push((performance.now() - t0) / 1000);
          return points;
        },
      };
      // One initial design point, then model-based proposals.
      await minimize(task(0.35), space, {
        budget,
        seed,
        proposer: timed,
        initialDesignSize: 1,
      });
    }
  }
  const paths = median(seconds.paths), exact = median(seconds["exact joint draw"]);
  const table = [
    `RGPE with Thompson sampling, ${tasks} past tasks, a mixed space (2 floats, an integer, a ` +
    `3-level categorical): seconds per model-based proposal, median over ${seconds.paths.length} proposals (seeds 0–${
      seeds - 1
    }, budget ${budget})`,
    "",
    "| sampler | seconds per proposal | exact / paths |",
    "| :-- | --: | --: |",
    `| posterior paths | ${formatNumber(paths)} | |`,
    `| exact joint draw | ${formatNumber(exact)} | ${formatNumber(exact / paths)} |`,
  ].join("\n");
  console.log(table);
  if (values.out) {
    await Deno.mkdir(values.out, { recursive: true });
    await Deno.writeTextFile(`${values.out}/summary.md`, table + "\n");
    const command = `deno run -A bench/transfer_thompson.ts ${Deno.args.join(" ")}`.trim();
    const provenance = await runProvenance(command, (performance.now() - started) / 1000);
    await Deno.writeTextFile(
      `${values.out}/provenance.json`,
      JSON.stringify(provenance, null, 2) + "\n",
    );
  }
}
