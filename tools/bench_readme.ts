/**
 * Writes the README of a committed `deno task bench` run from the run's own files, so that none of
 * its figures is typed by hand: the command, commit, date and versions from `provenance.json`, the
 * time per suite from `summary.csv`, and the notes the run printed from its `results.json` (not
 * committed: 2 MB). The text that says what the suites show is fixed prose (no figures), written
 * for the default bench: a folder whose `provenance.json` records another run (chosen suites,
 * seeds, budget, size, or `--no-peers`) is refused. Whether the Python peers and PostgreSQL took
 * part is read from the run's notes and tables.
 *
 * ```sh
 * deno run --allow-read --allow-write tools/bench_readme.ts results/bench --notes out/bench_default/results.json
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { provenanceLine, readProvenance, readSummaryCsv } from "../lib/results/mod.ts";
import { shellWords } from "../bench/args.ts";

const SHOWS =
  "What the run shows (all in `summary.csv`): the GP default against Optuna TPE and BoTorch LogEI " +
  "on eight test functions (its `smbo:` tables); transfer strategies against plain GP-BO on two " +
  "function families and the MLP meta-dataset (`../transfer/README.md`); the MAML family trained " +
  "on sinusoids against Finn et al.'s protocol; SMBO against MAML on sinusoids and cars-mpg; 5-way " +
  "few-shot MNIST; speed; study storage beside Optuna; random-forest SMBO beside TPE and the GP " +
  "(`../rf/README.md`).";

/** Flags that make a run other than the default bench. */
const NOT_DEFAULT = ["--suite", "--seeds", "--budget", "--full", "--no-peers"];

/**
 * The arguments of a recorded `deno task bench` command (`deno task bench ARGS`, or `deno run …
 * bench/main.ts ARGS`), or undefined when `command` is not one.
 */
export function benchArguments(command: string): string[] | undefined {
  const words = shellWords(command);
  if (words[0] === "deno" && words[1] === "task" && words[2] === "bench") return words.slice(3);
  const script = words.findIndex((w) => /(^|\/)bench\/main\.ts$/.test(w));
  return words[0] === "deno" && words[1] === "run" && script > 1
    ? words.slice(script + 1)
    : undefined;
}

/**
 * The README text of the committed bench run in `dir`, with the notes of its `results.json`.
 *
 * @throws {Error} when the run is not a default `deno task bench` run.
 */
export function benchReadme(dir: string, resultsJson: string): string {
  const provenance = readProvenance(dir);
  const args = benchArguments(provenance.command);
  if (args === undefined) {
    throw new Error(
      `${dir}/provenance.json: \`${provenance.command}\` is not a deno task bench command`,
    );
  }
  const flags = args.filter((a) => NOT_DEFAULT.includes(a.split("=")[0]));
  if (flags.length > 0) {
    throw new Error(
      `${dir}/provenance.json: \`${provenance.command}\` is not the default bench (${
        flags.join(", ")
      }); this README describes the default bench only`,
    );
  }
  const tables = readSummaryCsv(dir);
  const timing = tables.find((t) => t.title.startsWith("Time per suite"));
  const { notes } = JSON.parse(Deno.readTextFileSync(resultsJson)) as {
    notes: string[];
  };
  const postgres = tables.some((t) =>
    t.records.some((r) => Object.values(r).some((v) => String(v).includes("PostgreSQL")))
  );
  const peersMissing = notes.some((n) => /\bpeer\b.*did not run/i.test(n));
  const setting = [
    postgres
      ? "with PostgreSQL for the storage suite"
      : "without PostgreSQL (the storage suite measured SQLite only)",
    peersMissing ? "some Python peers could not run (see the notes)" : "the Python peers installed",
  ].join(" and ");
  const lines = [
    "# The default bench",
    "",
    `${provenanceLine(provenance)}. The output files \`summary.csv\` and \`provenance.json\` are ` +
    `copied here from the run's output folder (run ${setting}; \`results.csv\`, ` +
    "`results.json` and `report.html` are not committed).",
    "",
  ];
  if (timing) {
    const columns = Object.keys(timing.records[0] ?? {});
    const cell = (v: string | number | undefined) =>
      typeof v === "number"
        ? (Number.isInteger(v) ? String(v) : v.toPrecision(3))
        : String(v ?? "");
    lines.push(
      `${timing.title}:`,
      "",
      `| ${columns.join(" | ")} |`,
      `| ${columns.map(() => "---").join(" | ")} |`,
      ...timing.records.map((r) => `| ${columns.map((c) => cell(r[c])).join(" | ")} |`),
      "",
    );
  }
  lines.push(SHOWS, "", "Notes printed by the run:", "", ...notes.map((n) => `- ${n}`), "");
  return lines.join("\n");
}

if (import.meta.main) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { notes: { type: "string" } },
  });
  const dir = positionals[0] ?? "results/bench";
  if (!values.notes) throw new TypeError("--notes: the run's results.json is required");
  let text: string;
  try {
    text = benchReadme(dir, values.notes);
  } catch (error) {
    console.error(`bench_readme: ${(error as Error).message}`);
    Deno.exit(1);
  }
  Deno.writeTextFileSync(`${dir}/README.md`, text);
}
