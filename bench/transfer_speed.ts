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
 *     deno run -A bench/transfer_speed.ts --family goldstein-price [--pool 1000] [--history 50]
 *     deno run -A bench/transfer_speed.ts --family branin --tasks 50 --history 300
 *     deno run -A bench/transfer_speed.ts --methods gp,rgpe-gp,ablr,fsbo
 *
 * `--family` uses a MetaBO function family instead: `--tasks` past tasks with `--history`-point
 * scrambled Sobol histories (50: those of the transfer suite), and a pool of `--pool` Sobol points
 * of the held-out task. `--methods` lists the methods timed (default gp, rgpe, tst-r, taf); the
 * median `ask` is that of the default strategy of `transferOptions`.
 *
 * @module
 */
import { loadMetaDataset, poolTasks } from "../lib/tasks/metadataset/mod.ts";
import { minimize } from "../lib/smbo/minimize.ts";
import { bayesOpt } from "../lib/smbo/bayes_opt.ts";
import type { Proposer } from "../lib/smbo/proposer.ts";
import {
  PreparedPrior,
  TRANSFER_DEFAULTS,
  transferOptions,
  type TransferStrategy,
} from "../lib/meta/transfer.ts";
import { type EncodableSpace, SMBO } from "../lib/smbo/study.ts";
import {
  braninFamily,
  type FunctionTask,
  goldsteinPriceFamily,
  hartmann3Family,
  type TaskFamily,
} from "../lib/tasks/families/mod.ts";
import { sobol } from "../lib/random/sobol.ts";
import { Rng } from "../lib/random/rng.ts";
import { provenanceLine } from "../lib/results/committed.ts";
import { runProvenance } from "./provenance.ts";

const wallStart = performance.now();

const arg = (name: string, fallback: number) => {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
};
const budget = arg("budget", 50);
const count = arg("tasks", 49);
const family = Deno.args.includes("--family")
  ? Deno.args[Deno.args.indexOf("--family") + 1]
  : undefined;
const poolSize = arg("pool", 1000);
const historySize = arg("history", 50);
const methods = Deno.args.includes("--methods")
  ? Deno.args[Deno.args.indexOf("--methods") + 1].split(",")
  : ["gp", "rgpe", "tst-r", "taf"];

interface Setup {
  space: EncodableSpace<Record<string, unknown>>;
  past: { id: string; trials: { params: Record<string, unknown>; value: number }[] }[];
  objective: (p: Record<string, unknown>) => number;
  candidates: Record<string, unknown>[];
  label: string;
}

async function metaDatasetSetup(): Promise<Setup> {
  const md = await loadMetaDataset();
  const space = md.spaces.mlp as unknown as Setup["space"];
  const metrics = ["validationError", "testError", "validationLoss", "testLoss"] as const;
  const byMetric = metrics.map((metric) => poolTasks(md, { model: "mlp", metric }));
  const held = byMetric[0][0];
  const past = byMetric.flatMap((tasks, m) =>
    tasks.slice(1).map((t) => ({
      id: `${t.id}:${metrics[m]}`,
      trials: t.rows.map((r) => ({ params: r.params, value: r.value })),
    }))
  ).slice(0, count);
  const lookup = new Map(held.rows.map((r) => [space.encode(r.params).join(","), r.value]));
  return {
    space,
    past,
    objective: (p) => lookup.get(space.encode(p).join(","))!,
    candidates: held.rows.map((r) => r.params),
    label: `meta-dataset mlp, ${held.rows.length} candidates`,
  };
}

function familySetup(name: string): Setup {
  const families: Record<string, () => TaskFamily> = {
    branin: () => braninFamily(),
    "goldstein-price": () => goldsteinPriceFamily(),
    hartmann3: () => hartmann3Family(),
  };
  const { train } = families[name]().split(0, { train: count + 1, test: 0 });
  const [held, ...others] = train;
  const past = others.map((task: FunctionTask, i) => ({
    id: task.id,
    trials: sobol(historySize, task.dim, { rng: new Rng(1000 + i) }).map((u) => ({
      params: task.space.decode(u) as Record<string, unknown>,
      value: task.evaluate(u),
    })),
  }));
  const candidates = sobol(poolSize, held.dim, { rng: new Rng(7) }).map((u) =>
    held.space.decode(u) as Record<string, unknown>
  );
  return {
    space: held.space as unknown as Setup["space"],
    past,
    objective: (p) => held.objective(p),
    candidates,
    label: `${name} family, ${historySize}-point histories, ${poolSize} candidates`,
  };
}

const { space, past, objective, candidates, label } = family
  ? familySetup(family)
  : await metaDatasetSetup();

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
for (const method of methods) {
  const times: number[] = [];
  const start = performance.now();
  let fitSeconds = 0;
  let setup;
  if (method === "gp") setup = { proposer: bayesOpt(), candidates };
  else {
    const prior = PreparedPrior.from(past, space);
    const fitStart = performance.now();
    if (method === "ablr" || method === "ablr-fixed") void prior.ablrModel();
    else if (method === "fsbo") void prior.fsboModel();
    else void prior.baseModels;
    fitSeconds = (performance.now() - fitStart) / 1000;
    setup = transferOptions(prior, space, {
      strategy: method as TransferStrategy,
      candidates,
      seed: 0,
    });
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
// One `ask` of the default strategy, whole: an ask/tell loop on an SMBO study over the
// same pool, with the past tasks' GPs fitted beforehand.
const askTimes: number[] = [];
{
  const prior = PreparedPrior.from(past, space);
  if (TRANSFER_DEFAULTS.strategy.startsWith("ablr")) void prior.ablrModel();
  else void prior.baseModels;
  const study = new SMBO(space, { seed: 0, ...transferOptions(prior, space, { candidates }) });
  while (study.trials.length < budget && !study.exhausted) {
    const start = performance.now();
    const trial = study.ask();
    askTimes.push(performance.now() - start);
    study.tell(trial, objective(trial.params));
  }
}
const askMedianMs = Number(median(askTimes.slice(2)).toFixed(1)); // model steps only
const provenance = await runProvenance(
  ["deno run -A bench/transfer_speed.ts", ...Deno.args].join(" "),
  (performance.now() - wallStart) / 1000,
);
if (Deno.args.includes("--json")) {
  console.log(
    JSON.stringify({ rows, askMedianMs, defaultStrategy: TRANSFER_DEFAULTS.strategy, provenance }),
  );
} else {
  console.log(`# ${provenanceLine(provenance)}`);
  console.log(`${label}; ${past.length} past tasks; ${budget} evaluations`);
  console.table(rows.map(({ values: _, ...r }) => r));
  console.log(
    `default strategy (${TRANSFER_DEFAULTS.strategy}): median ask ${askMedianMs} ms (ask/tell, models fitted)`,
  );
}
