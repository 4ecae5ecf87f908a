import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { recordsToCsv, type ResultRow, toCsv } from "../../lib/results/mod.ts";
import { markNotRun, rewriteBenchReport, writeBenchReport } from "../../bench/report.ts";
import { writeFinishedProvenance } from "../../bench/provenance.ts";
import type { SummaryTable } from "../../bench/suites/types.ts";
import { transferCurves, type TransferRun } from "../../lib/protocols/leave_one_task_out.ts";

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

// Leave-one-task-out runs of two problem sets (Branin and Hartmann-3 tasks, named as the transfer
// suite names them) × two methods × two held-out tasks × two seeds, 10 evaluations each, and the
// rows the suite writes of them: `normalized_regret` at steps 1, 5 and 10, `seconds` at the end.
const TRANSFER_TASKS = ["branin/0/0", "branin/0/1", "hartmann3/0/0", "hartmann3/0/1"];
const transferRuns: TransferRun[] = TRANSFER_TASKS.flatMap((problem, t) =>
  (["gp", "rgpe-gp"] as const).flatMap((method, m) =>
    [0, 1].map((seed) => ({
      problem,
      method,
      seed,
      regret: Array.from(
        { length: 10 },
        (_, k) => (1 + t + 2 * m + 0.5 * seed) / (1 + k) ** (1 + m),
      ),
      seconds: 1,
    }))
  )
);
const transferRows = (runs: readonly TransferRun[]): ResultRow[] =>
  runs.flatMap((run) => {
    const common = { suite: "transfer", task: run.problem, method: run.method, seed: run.seed };
    return [
      ...[1, 5, 10].map((step) => ({
        ...common,
        step,
        metric: "normalized_regret",
        value: run.regret[step - 1],
      })),
      { ...common, step: 10, metric: "seconds", value: run.seconds },
    ];
  });

/** The report's h3 groups: heading → the figures drawn under it. */
function figureGroups(
  html: string,
): Map<string, { layout: Record<string, unknown>; data: Record<string, unknown>[] }[]> {
  const groups = new Map();
  for (const part of html.split("<h3>").slice(1)) {
    const heading = part.slice(0, part.indexOf("</h3>"));
    const body = part.split(/<h[23]>/)[0];
    groups.set(
      heading,
      [...body.matchAll(/^var fig=(.*);$/gm)].map((m) => JSON.parse(m[1])),
    );
  }
  return groups;
}

async function benchReportHtml(rows: readonly ResultRow[]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "metahpo-bench-report-transfer-" });
  try {
    const path = await writeBenchReport(dir, {
      date: "2025-01-01T00:00:00Z",
      machine: "test",
      notes: [],
      rows,
      tables: [],
    });
    return readFileSync(path, "utf8");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("writeBenchReport: one transfer figure per problem set, its means transferCurves' over held-out tasks", async () => {
  // Another suite's rows before and after: their figures stay as they were.
  const smbo = [0, 1, 2].map((seed) => ({ ...row("branin", "random", 1 + seed), seed }));
  const html = await benchReportHtml([...smbo, ...transferRows(transferRuns)]);
  const groups = figureGroups(html);
  const alone = figureGroups(await benchReportHtml(smbo));
  const sets = [["branin", "branin/"], ["hartmann3", "hartmann3/"]] as const;
  assert.deepEqual([...groups.keys()], [
    ...alone.keys(),
    ...sets.map(([set]) => `transfer: mean normalised regret, ${set}`),
  ]);
  for (const [heading, figures] of alone) assert.deepEqual(groups.get(heading), figures);
  // The section of the suite, after the smbo one, in the order of the rows' problem sets.
  assert.ok(html.indexOf("<h2>Suite smbo</h2>") < html.indexOf("<h2>Suite transfer</h2>"));
  for (const [set, prefix] of sets) {
    const figures = groups.get(`transfer: mean normalised regret, ${set}`)!;
    assert.equal(figures.length, 1, `one figure of ${set}, none per task`);
    const [figure] = figures;
    const runs = transferRuns.filter((r) => r.problem.startsWith(prefix));
    const curves = transferCurves(runs, { steps: [1, 5, 10] });
    assert.deepEqual(curves.map((c) => c.method), ["gp", "rgpe-gp"]);
    for (const curve of curves) {
      const line = figure.data.find((t) => t.name === curve.method)!;
      assert.deepEqual(line.x, [1, 5, 10]);
      assert.deepEqual(line.y, curve.intervals.map((i) => i.center), `${set} ${curve.method}`);
      // Its band: the interval over the two tasks.
      const band = figure.data.find((t) => t.name === `${curve.method} band`)!;
      assert.deepEqual(
        (band.y as number[]).slice(0, 3),
        curve.intervals.map((i) => i.upper),
      );
    }
    // Every mean > 0: a log axis.
    assert.equal((figure.layout.yaxis as Record<string, unknown>).type, "log");
    assert.match(
      JSON.stringify(figure.layout.title),
      /mean normalised regret over tasks, each task's seeds averaged(<br>| )first/,
    );
  }
  // No figure per task of the normalised regret.
  assert.ok(!TRANSFER_TASKS.some((task) => html.includes(`${task}:`)));
});

Deno.test("writeBenchReport: transfer curves of a meta-dataset's tasks, linear where a mean is 0", async () => {
  // A pool-mode set (ids `tabular-MODEL:ID`): rgpe-gp reaches the optimum on both tasks by 10.
  const runs = transferRuns.filter((r) => r.problem.startsWith("branin/")).map((r) => ({
    ...r,
    problem: `tabular-mlp:${r.problem === "branin/0/0" ? "iris" : "wine"}/mlp`,
    regret: r.method === "rgpe-gp" ? r.regret.map((v, k) => (k >= 9 ? 0 : v)) : r.regret,
  }));
  const html = await benchReportHtml(transferRows(runs));
  const [figure] = figureGroups(html).get("transfer: mean normalised regret, meta-dataset mlp")!;
  assert.equal((figure.layout.yaxis as Record<string, unknown>).type, undefined);
  const line = figure.data.find((t) => t.name === "rgpe-gp")!;
  assert.equal((line.y as number[])[2], 0);
  // A normalised regret is a finite number: a row that is not is named.
  const bad = transferRows(runs).map((r, i) => i === 2 ? { ...r, value: NaN } : r);
  await assert.rejects(
    benchReportHtml(bad),
    /transferRunsFromRows rows\[2\] \("tabular-mlp:iris\/mlp gp seed 0 step 10"\)\.value: must be a finite number, got NaN/,
  );
});
