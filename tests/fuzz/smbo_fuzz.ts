/**
 * Deep fuzzing of the optimiser (`deno task fuzz`): the properties of tests/smbo/properties_test.ts
 * and tests/storage/properties_test.ts with many more generated cases and larger budgets. Every
 * case runs twice (same seed ⇒ same trials). Reports cases, time, the slowest case (a hang shows
 * up there), the trial sources seen (so that the model-based path is known to be exercised) and
 * any counterexample.
 *
 *     deno task fuzz                                        # 5,000 in-memory + 1,000 stored cases
 *     deno task fuzz --runs 200 --stored-runs 50 --seed 3   # or FUZZ_RUNS=200 FUZZ_STORED_RUNS=50
 *
 * @module
 */
import { parseArgs } from "node:util";
import { dirname } from "node:path";
import { runProvenance } from "../../bench/provenance.ts";
import { fc } from "../_fast_check.ts";
import type { Trial } from "../../lib/smbo/trial.ts";
import {
  askTellCaseArb,
  minimizeCaseArb,
  type Params,
  runAskTellCase,
  runMinimizeCase,
  sameTrials,
} from "../smbo/_harness.ts";
import {
  runStoredAskTellCase,
  runStoredMinimizeCase,
  storedAskTellCaseArb,
  storedMinimizeCaseArb,
} from "../storage/_properties.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string" },
    "stored-runs": { type: "string" },
    seed: { type: "string", default: "1" },
    "max-budget": { type: "string", default: "14" },
    "max-actions": { type: "string", default: "24" },
    out: { type: "string" },
  },
});
const runs = Number(args.runs ?? Deno.env.get("FUZZ_RUNS") ?? 5000);
const storedRuns = Number(args["stored-runs"] ?? Deno.env.get("FUZZ_STORED_RUNS") ?? 1000);
const seed = Number(args.seed);
const maxBudget = Number(args["max-budget"]);
const maxActions = Number(args["max-actions"]);
for (const [name, v] of Object.entries({ runs, storedRuns, seed, maxBudget, maxActions })) {
  if (!Number.isInteger(v) || v < 0) throw new TypeError(`fuzz: --${name} must be an integer ≥ 0`);
}

const sources = new Map<string, number>();
const statuses = new Map<string, number>();
const stored = new Map<string, number>();
let slowest = { seconds: 0, kind: "" };
let cases = 0;
const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

async function timed<T>(kind: string, f: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const out = await f();
  const seconds = (performance.now() - start) / 1000;
  if (seconds > slowest.seconds) slowest = { seconds, kind };
  cases++;
  return out;
}

/** Checks one property deeply: every case runs twice (same seed ⇒ same trials). */
async function deep<C>(
  kind: string,
  arb: fc.Arbitrary<C>,
  run: (c: C) => Promise<Trial<Params>[]>,
  settings: { seed: number; numRuns: number },
): Promise<fc.RunDetails<[unknown]>> {
  return await fc.check(
    fc.asyncProperty(arb, async (c) => {
      const first = await timed(kind, () => run(c));
      for (const t of first) {
        count(sources, t.source);
        count(statuses, t.status);
        if (kind.startsWith("stored")) count(stored, t.source);
      }
      sameTrials(first, await run(c));
    }),
    settings,
  ) as fc.RunDetails<[unknown]>;
}

const started = performance.now();
const half = Math.ceil(runs / 2);
const storedHalf = Math.ceil(storedRuns / 2);
const reports = [
  await deep("minimize", minimizeCaseArb(maxBudget), runMinimizeCase, { seed, numRuns: half }),
  await deep("ask/tell", askTellCaseArb(maxActions), runAskTellCase, {
    seed: seed + 1,
    numRuns: runs - half,
  }),
  await deep("stored minimize", storedMinimizeCaseArb(maxBudget), runStoredMinimizeCase, {
    seed: seed + 2,
    numRuns: storedHalf,
  }),
  await deep("stored ask/tell", storedAskTellCaseArb(maxActions), runStoredAskTellCase, {
    seed: seed + 3,
    numRuns: storedRuns - storedHalf,
  }),
];
const seconds = (performance.now() - started) / 1000;
const failures = reports.filter((r) => r.failed);
const summary = {
  cases,
  generated: reports.reduce((a, r) => a + r.numRuns, 0),
  seconds: Number(seconds.toFixed(1)),
  slowestCaseSeconds: Number(slowest.seconds.toFixed(2)),
  slowestCaseKind: slowest.kind,
  trialSources: Object.fromEntries(sources),
  trialStatuses: Object.fromEntries(statuses),
  storedTrialSources: Object.fromEntries(stored),
  failures: failures.length,
};
console.log(JSON.stringify(summary, null, 2));
if (args.out !== undefined) {
  // A committed record of this run, with the command, commit, date, machine and versions.
  const command = ["deno task fuzz", ...Deno.args].join(" ");
  const provenance = await runProvenance(command, seconds);
  await Deno.mkdir(dirname(args.out), { recursive: true });
  await Deno.writeTextFile(
    args.out,
    JSON.stringify(
      { provenance, settings: { runs, storedRuns, seed, maxBudget, maxActions }, summary },
      null,
      2,
    ) + "\n",
  );
}
for (const r of failures) {
  console.error(fc.defaultReportMessage(r));
}
if (failures.length > 0) Deno.exit(1);
