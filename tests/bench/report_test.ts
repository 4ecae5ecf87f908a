import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { recordsToCsv, type ResultRow, toCsv } from "../../lib/results/mod.ts";
import { markNotRun, rewriteBenchReport, writeBenchReport } from "../../bench/report.ts";
import { writeFinishedProvenance } from "../../bench/provenance.ts";
import type { SummaryTable } from "../../bench/suites/types.ts";

const row = (task: string, method: string, value: number, suite = "smbo"): ResultRow => ({
  suite,
  task,
  method,
  seed: 0,
  step: 50,
  metric: "regret",
  value,
});

// gp-logei and random ran on both functions (random diverged on levy4); the BoTorch peer and
// optuna-random on branin only (BoTorch diverged there); botorch-ei not at all.
const rows: ResultRow[] = [
  row("branin", "gp-logei", 0.1),
  row("levy4", "gp-logei", 0.2),
  row("branin", "random", 0.4),
  row("levy4", "random", NaN),
  row("branin", "optuna-random", 0.5),
  row("branin", "botorch-logei", NaN),
  row("levy4", "maml", 1, "fewshot"),
];

const tables: SummaryTable[] = [
  {
    title: "smbo: Median simple regret after 50 evaluations",
    records: ["branin", "levy4"].map((task) => ({
      function: task,
      "gp-logei": task === "branin" ? 0.1 : 0.2,
      random: task === "branin" ? 0.4 : NaN,
      "optuna-random": task === "branin" ? 0.5 : NaN,
      "botorch-logei": NaN,
      "gp-logei / botorch-logei": NaN,
    })),
  },
  {
    title: "smbo: Seconds per trial",
    records: [{ function: "levy4", "botorch-logei s/trial": NaN, "gp-logei s/trial": NaN }],
  },
  {
    title: "smbo: overall",
    records: [
      { metric: "regret", maml: NaN, "botorch-logei": NaN, "botorch-ei": NaN },
      { metric: "no method named", value: NaN },
    ],
  },
  // Another suite's table: its own rows decide (gp-logei never ran in fewshot).
  {
    title: "fewshot: mse",
    records: [{ method: "maml", mse: NaN }, { method: "gp-logei", mse: NaN }],
  },
];

Deno.test("markNotRun: NaN cells of combinations without rows become null, diverged ones stay NaN", () => {
  const [regret, seconds, overall, fewshot] = markNotRun(tables, rows);
  const [branin, levy4] = regret.records;
  // Ran and diverged: NaN.
  assert.ok(Number.isNaN(branin["botorch-logei"]));
  assert.ok(Number.isNaN(branin["gp-logei / botorch-logei"]));
  assert.ok(Number.isNaN(levy4.random), "random ran on levy4 (a name inside optuna-random)");
  // Not run on levy4: null, the ratio with it too.
  assert.equal(levy4["botorch-logei"], null);
  assert.equal(levy4["gp-logei / botorch-logei"], null);
  assert.equal(levy4["optuna-random"], null);
  assert.deepEqual([branin["gp-logei"], branin["optuna-random"]], [0.1, 0.5]);
  assert.equal(seconds.records[0]["botorch-logei s/trial"], null);
  assert.ok(Number.isNaN(seconds.records[0]["gp-logei s/trial"]), "gp-logei ran on levy4");
  // Without a task: a method without a row of the suite was not run (maml ran in fewshot only).
  assert.equal(overall.records[0].maml, null);
  assert.ok(Number.isNaN(overall.records[0]["botorch-logei"]));
  // A cell naming no method of the rows keeps NaN: botorch-ei left no row anywhere.
  assert.ok(Number.isNaN(overall.records[0]["botorch-ei"]));
  assert.ok(Number.isNaN(overall.records[1].value));
  assert.ok(Number.isNaN(fewshot.records[0].mse));
  assert.equal(fewshot.records[1].mse, null);
  // The input tables are left as they were.
  assert.ok(Number.isNaN(tables[0].records[1]["botorch-logei"]));
});

const REPORT_SCRIPT = fileURLToPath(new URL("../../bench/report.ts", import.meta.url));

/** The cells of the summary tables of a report page, one list per table, one per row. */
function summaryCells(html: string): string[][][] {
  return [...html.matchAll(/<table class="metahpo-table">(.*?)<\/table>/g)].map((table) =>
    [...table[1].matchAll(/<tr>(.*?)<\/tr>/g)].slice(1).map((m) =>
      [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1])
    )
  );
}

Deno.test("writeBenchReport: summary cells read 'not run' only where nothing ran", async () => {
  const dir = await Deno.makeTempDir({ prefix: "metahpo-bench-report-" });
  try {
    const path = await writeBenchReport(dir, {
      date: "2025-01-01T00:00:00Z",
      machine: "test",
      notes: [],
      rows,
      tables: [tables[0]],
    });
    const html = readFileSync(join(dir, "report.html"), "utf8");
    assert.equal(path, join(dir, "report.html"));
    const table = html.slice(html.indexOf('<table class="metahpo-table">'));
    const body = table.slice(0, table.indexOf("</table>"));
    const cells = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].slice(1).map((m) =>
      [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1])
    );
    assert.deepEqual(cells, [
      ["branin", "0.100", "0.400", "0.500", "NaN", "NaN"],
      ["levy4", "0.200", "NaN", "not run", "not run", "not run"],
    ]);
    assert.match(body, /<td class="missing" style="text-align:right;color:#767676">not run<\/td>/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rewriteBenchReport: an earlier run's report shows its summary tables again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "metahpo-bench-rerender-" });
  try {
    // The files of a run as bench/main.ts writes them: results.json without tables (NaN and
    // ±Infinity as null), results.csv, and the tables in summary.csv.
    const run = {
      date: "2025-01-01T00:00:00Z",
      machine: "test",
      notes: ["a note"],
      rows,
      tables: [tables[0], { title: "Time per suite", records: [{ suite: "smbo", "wall s": 1.5 }] }],
    };
    await Deno.writeTextFile(join(dir, "results.csv"), toCsv(rows));
    await Deno.writeTextFile(
      join(dir, "results.json"),
      JSON.stringify({ date: run.date, machine: run.machine, notes: run.notes, rows }),
    );
    await Deno.writeTextFile(
      join(dir, "summary.csv"),
      run.tables.map((t) => `# ${t.title}\n${recordsToCsv(t.records)}`).join("\n"),
    );
    const original = summaryCells(readFileSync(await writeBenchReport(dir, run), "utf8"));
    writeFinishedProvenance(dir, { command: "deno task bench" });
    const path = await rewriteBenchReport(dir);
    assert.equal(path, join(dir, "report.html"));
    const html = readFileSync(path, "utf8");
    // The same tables as the run's own report, "not run" where nothing ran.
    assert.equal(original.length, 2);
    assert.deepEqual(summaryCells(html), original);
    assert.deepEqual(summaryCells(html)[0][1], [
      "levy4",
      "0.200",
      "NaN",
      "not run",
      "not run",
      "not run",
    ]);
    assert.ok(html.includes("<caption>Time per suite</caption>"));
    assert.ok(html.includes("<li>a note</li>"));
    // As run from the command line.
    await Deno.remove(path);
    const cli = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", REPORT_SCRIPT, dir],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(cli.success, new TextDecoder().decode(cli.stderr));
    assert.deepEqual(summaryCells(readFileSync(path, "utf8")), original);
    // A run without summary.csv: the report without summary tables.
    await Deno.remove(join(dir, "summary.csv"));
    writeFinishedProvenance(dir, { command: "deno task bench" });
    assert.deepEqual(summaryCells(readFileSync(await rewriteBenchReport(dir), "utf8")), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
