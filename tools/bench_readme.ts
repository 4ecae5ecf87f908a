/**
 * Writes the README of a committed `deno task bench` run from the run's own files, so that none of
 * its figures is typed by hand: the command, commit, date and versions from `provenance.json`, the
 * time per suite from `summary.csv`, and the notes the run printed from its `results.json` (not
 * committed: 2 MB). The text that says what the suites show is fixed prose (no figures).
 *
 * ```sh
 * deno run --allow-read --allow-write tools/bench_readme.ts results/bench --notes out/bench_default/results.json
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { provenanceLine, readProvenance, readSummaryCsv } from "../lib/results/mod.ts";

const SHOWS =
  "What the run shows (all in `summary.csv`): the GP default against Optuna TPE and BoTorch LogEI " +
  "on eight test functions (`../smbo/README.md`); transfer strategies against plain GP-BO on two " +
  "function families and the MLP meta-dataset (`../transfer/README.md`); the MAML family trained " +
  "on sinusoids against Finn et al.'s protocol; SMBO against MAML on sinusoids and cars-mpg; 5-way " +
  "few-shot MNIST; speed; study storage beside Optuna; random-forest SMBO beside TPE and the GP " +
  "(`../rf/README.md`).";

/** The README text of the committed bench run in `dir`, with the notes of its `results.json`. */
export function benchReadme(dir: string, resultsJson: string): string {
  const provenance = readProvenance(dir);
  const tables = readSummaryCsv(dir);
  const timing = tables.find((t) => t.title.startsWith("Time per suite"));
  const { notes } = JSON.parse(Deno.readTextFileSync(resultsJson)) as {
    notes: string[];
  };
  const lines = [
    "# The default bench",
    "",
    `${provenanceLine(provenance)}. The output files \`summary.csv\` and \`provenance.json\` are ` +
    "copied here from the run's output folder (run with PostgreSQL 15 on 127.0.0.1 for the storage " +
    "suite and the Python peers installed; `results.csv`, `results.json` and `report.html` are not " +
    "committed).",
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
  Deno.writeTextFileSync(`${dir}/README.md`, benchReadme(dir, values.notes));
}
