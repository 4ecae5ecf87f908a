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
 * `--help` lists the options; a bad value is a one-line error naming the option (exit status 2).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { dirname } from "node:path";
import { integerOption, pathOption, resolveGivenPath } from "../../lib/cli_paths.ts";
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

const USAGE = `usage: deno task fuzz [--runs N] [--stored-runs N] [--seed N] [--max-budget N]
  [--max-actions N] [--out FILE]
  --runs N          in-memory cases (default FUZZ_RUNS, else 5000)
  --stored-runs N   cases on a stored study (default FUZZ_STORED_RUNS, else 1000)
  --seed N          seed of the case generators (default 1)
  --max-budget N    largest minimize budget (default 14)
  --max-actions N   most ask/tell actions of a case (default 24)
  --out FILE        also write the summary with its provenance to FILE (a relative path is taken
                    from the folder the command was started in)`;

/** The settings of a fuzz run, checked. */
export interface FuzzSettings {
  runs: number;
  storedRuns: number;
  seed: number;
  maxBudget: number;
  maxActions: number;
  /** The absolute path of `--out`, when given. */
  out?: string;
}

/**
 * The settings of `argv`, each an integer ≥ 0 (the case counts also from `FUZZ_RUNS` and
 * `FUZZ_STORED_RUNS` of `env` when not given), `--out` made absolute against the folder the
 * command was started in (`resolveGivenPath`), or `"help"` for `--help`.
 *
 * @throws {RangeError} or {TypeError} naming the option (or variable) with a bad value.
 */
export function parseFuzzArgs(
  argv: readonly string[],
  env: { FUZZ_RUNS?: string; FUZZ_STORED_RUNS?: string } = {},
  cwd: string = Deno.cwd(),
  initCwd?: string,
): FuzzSettings | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      runs: { type: "string" },
      "stored-runs": { type: "string" },
      seed: { type: "string", default: "1" },
      "max-budget": { type: "string", default: "14" },
      "max-actions": { type: "string", default: "24" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const count = (flag: "runs" | "stored-runs", variable: keyof typeof env, fallback: number) => {
    const given = values[flag];
    if (given !== undefined) return integerOption(flag, given, 0);
    const text = env[variable];
    if (text === undefined) return fallback;
    try {
      return integerOption(flag, text, 0);
    } catch {
      throw new RangeError(`${variable}: expected an integer ≥ 0, got ${JSON.stringify(text)}`);
    }
  };
  return {
    runs: count("runs", "FUZZ_RUNS", 5000),
    storedRuns: count("stored-runs", "FUZZ_STORED_RUNS", 1000),
    seed: integerOption("seed", values.seed, 0),
    maxBudget: integerOption("max-budget", values["max-budget"], 0),
    maxActions: integerOption("max-actions", values["max-actions"], 0),
    ...(values.out === undefined
      ? {}
      : { out: resolveGivenPath(pathOption("out", values.out), cwd, initCwd) }),
  };
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

/** Runs the fuzz with `settings`; returns the exit status (1 when a property failed). */
async function fuzz(settings: FuzzSettings, argv: readonly string[]): Promise<number> {
  const { runs, storedRuns, seed, maxBudget, maxActions, out } = settings;
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
  if (out !== undefined) {
    // A committed record of this run, with the command, commit, date, machine and versions.
    const command = ["deno task fuzz", ...argv].join(" ");
    const provenance = await runProvenance(command, seconds);
    await Deno.mkdir(dirname(out), { recursive: true });
    await Deno.writeTextFile(
      out,
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
  return failures.length > 0 ? 1 : 0;
}

if (import.meta.main) {
  let settings: FuzzSettings | "help";
  try {
    const env = Deno.permissions.querySync({ name: "env" }).state === "granted"
      ? {
        FUZZ_RUNS: Deno.env.get("FUZZ_RUNS"),
        FUZZ_STORED_RUNS: Deno.env.get("FUZZ_STORED_RUNS"),
      }
      : {};
    const initCwd = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" }).state ===
        "granted"
      ? Deno.env.get("INIT_CWD")
      : undefined;
    settings = parseFuzzArgs(Deno.args, env, Deno.cwd(), initCwd);
  } catch (error) {
    // On one line: node's parseArgs writes some of its errors on several.
    console.error(`fuzz: ${(error as Error).message.replaceAll("\n", " ")}`);
    Deno.exit(2);
  }
  if (settings === "help") {
    console.log(USAGE);
    Deno.exit(0);
  }
  Deno.exit(await fuzz(settings, Deno.args));
}
