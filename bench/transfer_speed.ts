/**
 * Speed of the transfer strategies with many past tasks: one 50-evaluation pool run of RGPE,
 * TST-R, TAF and plain GP-BO on a held-out task of the committed meta-dataset (model `mlp`, 64
 * candidates), with 49 past tasks: the other 19 `mlp` tasks under each of the four metrics
 * (validation/test error/loss), a task and metric per past task, cut to 49. Times include fitting
 * the past tasks' GPs (a fresh `PreparedPrior` per run); `propose` is the median time of one model
 * step (the proposer's share of an `ask`). Uses only APIs that exist before and after the speed-ups,
 * so that the same file can time an older commit:
 *
 *     deno run -A bench/transfer_speed.ts [--budget 50] [--tasks 49] [--json]
 *
 * @module
 */
import { loadMetaDataset, poolTasks } from "../lib/tasks/metadataset/mod.ts";
import { minimize } from "../lib/smbo/minimize.ts";
import { bayesOpt } from "../lib/smbo/bayes_opt.ts";
import type { Proposer } from "../lib/smbo/proposer.ts";
import { PreparedPrior, transferOptions } from "../lib/meta/transfer.ts";

const arg = (name: string, fallback: number) => {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
};
const budget = arg("budget", 50);
const count = arg("tasks", 49);
const md = await loadMetaDataset();
const space = md.spaces.mlp;
const metrics = ["validationError", "testError", "validationLoss", "testLoss"] as const;
const byMetric = metrics.map((metric) => poolTasks(md, { model: "mlp", metric }));
const held = byMetric[0][0];
const past = byMetric.flatMap((tasks, m) =>
  tasks.slice(1).map((t) => ({
    id: `${t.id}:${metrics[m]}`,
    trials: t.rows.map((r) => ({ params: r.params, value: r.value })),
    metaFeatures: t.metaFeatures,
  }))
).slice(0, count);
const lookup = new Map(held.rows.map((r) => [space.encode(r.params).join(","), r.value]));
const objective = (p: Record<string, unknown>) => lookup.get(space.encode(p as never).join(","))!;
const candidates = held.rows.map((r) => r.params);

function timed(inner: Proposer, times: number[]): Proposer {
  return {
    name: inner.name,
    propose(context, q) {
      const start = performance.now();
      const out = inner.propose(context, q);
      times.push(performance.now() - start);
      return out;
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

const rows = [];
for (const method of ["gp", "rgpe", "tst-r", "taf"] as const) {
  const times: number[] = [];
  const start = performance.now();
  let fitSeconds = 0;
  let setup;
  if (method === "gp") setup = { proposer: bayesOpt(), candidates };
  else {
    const prior = PreparedPrior.from(past, space);
    const fitStart = performance.now();
    void prior.baseModels;
    fitSeconds = (performance.now() - fitStart) / 1000;
    setup = transferOptions(prior, space, { strategy: method, candidates, seed: 0 });
  }
  const result = await minimize(objective, space, {
    budget,
    seed: 0,
    ...setup,
    proposer: timed(setup.proposer, times),
  });
  const seconds = (performance.now() - start) / 1000;
  rows.push({
    method,
    pastTasks: method === "gp" ? 0 : past.length,
    seconds: Number(seconds.toFixed(2)),
    fitSeconds: Number(fitSeconds.toFixed(2)),
    proposeMedianMs: Number(median(times).toFixed(1)),
    best: result.best.value,
    values: result.trials.map((t) => t.value).join(","),
  });
}
if (Deno.args.includes("--json")) console.log(JSON.stringify(rows));
else console.table(rows.map(({ values: _, ...r }) => r));
