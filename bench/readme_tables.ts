/**
 * The README's result tables, built from committed benchmark outputs (the `summary.csv`,
 * `results.csv` and `provenance.json` of `results/bench` (the default bench: its run, perf and
 * storage figures), `results/storage`, `results/maml_full`, `results/maml_speed`,
 * `results/fewshot/full`, `results/fewshot/speed`, `results/comparison_full`, `results/transfer`,
 * `results/transfer_full` and `results/rf`; the side-by-side table of `results/ablation`; the seed
 * study of `results/maml_full/fomaml_seeds`
 * through `bench/maml_seeds.ts`) so that no figure in them is typed by hand. Each table lives in the
 * README between `<!-- results: NAME -->` and `<!-- /results -->`; `tests/bench/readme_tables_test.ts`
 * checks that the README holds what this module builds.
 *
 * ```sh
 * deno run --allow-read --allow-write bench/readme_tables.ts          # print the blocks
 * deno run --allow-read --allow-write bench/readme_tables.ts --write  # rewrite them in README.md
 * deno run --allow-read bench/readme_tables.ts --check                # exit 1 if README.md differs
 * ```
 *
 * @module
 */
import { existsSync } from "node:fs";
import {
  markdownTable,
  provenanceLine,
  readProvenance,
  readResultsCsv,
  readSummaryCsv,
  type SummaryCsvTable,
  summaryTable,
} from "../lib/results/mod.ts";
import { FINN_2017_SINUSOID_5SHOT } from "../lib/tasks/sinusoid/mod.ts";
import { lossFigure, parseMseCell } from "./suites/maml_cells.ts";
import { readSeedRuns, seedComparison, seedProvenance, seedSpreadTable } from "./maml_seeds.ts";
import {
  FEWSHOT_SIZES,
  type FewShotAccuracy,
  fewShotAccuracy,
  fewShotOwnStepsAccuracy,
  fewShotPairedDifference,
  fewShotSeedAccuracies,
} from "../lib/protocols/mod.ts";
import type { ResultRow } from "../lib/results/mod.ts";
import { mean as meanOf, meanInterval, median, signCounts } from "../lib/stats/mod.ts";

const RESULTS = new URL("../results/", import.meta.url);

const LEARNER_NAMES: Record<string, string> = {
  maml: "MAML",
  fomaml: "first-order MAML",
  reptile: "Reptile",
  anil: "ANIL",
  metasgd: "Meta-SGD",
  "learned-hp": "learned-hp",
  pretrained: "pretrained",
};

const COLUMNS = ["k5 1 step", "k5 10 steps", "k10 1 step", "k10 10 steps"] as const;
const HEADERS = ["K=5, 1 step", "K=5, 10 steps", "K=10, 1 step", "K=10, 10 steps"];

function mamlTable(tables: readonly SummaryCsvTable[]): SummaryCsvTable {
  return summaryTable(tables, "maml: Sinusoid MSE after ");
}

/** Meta-iterations in the title of the suite's MSE table. */
function iterationsOf(table: SummaryCsvTable): number {
  const match = table.title.match(/after (\d+) meta-iterations/);
  if (!match) throw new Error(`"${table.title}": no meta-iteration count in the title`);
  return Number(match[1]);
}

function cellText(value: string | number | undefined): string {
  if (value === undefined || value === "") return "–";
  return typeof value === "number" ? value.toFixed(3) : value;
}

/**
 * The full-size MAML table: every learner of ours and every PyTorch peer variant trained in the
 * same run, then Finn et al.'s published 5-shot MAML figures.
 */
export function mamlFullBlock(dir: URL = new URL("maml_full/", RESULTS)): string {
  const tables = readSummaryCsv(dir);
  const table = mamlTable(tables);
  const iterations = iterationsOf(table).toLocaleString("en-US");
  const rows = table.records.map((record) => {
    const method = String(record.method);
    const peer = method.startsWith("torch-");
    const name = peer
      ? `PyTorch ${LEARNER_NAMES[method.slice(6)] ?? method.slice(6)} (peer)`
      : `metahpo ${LEARNER_NAMES[method] ?? method}`;
    return [name, ...COLUMNS.map((c) => cellText(record[c]))];
  });
  const finn = FINN_2017_SINUSOID_5SHOT;
  rows.push([
    `Finn et al. 2017, MAML (${finn.iterations.toLocaleString("en-US")} it.)`,
    String(finn.maml[1]),
    String(finn.maml[10]),
    "–",
    "–",
  ]);
  rows.push([
    "Finn et al. 2017, pretrained",
    String(finn.pretrained[1]),
    String(finn.pretrained[10]),
    "–",
    "–",
  ]);
  const speed = tables.find((t) => t.title.startsWith("maml: Milliseconds per meta-iteration"));
  const cpu = (method: string) =>
    speed?.records.find((r) => r.method === method)?.["CPU ms / meta-iteration"];
  const oursCpu = cpu("maml (wasm, timed with it)");
  const torchCpu = cpu("torch-maml (timed)");
  const speedLine = typeof oursCpu === "number" && typeof torchCpu === "number"
    ? ` A second-order MAML meta-iteration (meta-batch 25) took ${oursCpu.toFixed(2)} ms of ` +
      `process CPU time here against ${
        torchCpu.toFixed(2)
      } ms for the PyTorch loop timed back to ` +
      `back (${(oursCpu / torchCpu).toFixed(2)}×).`
    : "";
  const medians = tables.find((t) => t.title.startsWith("maml: Median query MSE over tasks"));
  const medianRows = (medians?.records ?? []).map((record) => {
    const method = String(record.method);
    const name = method.startsWith("torch-")
      ? `PyTorch ${LEARNER_NAMES[method.slice(6)] ?? method.slice(6)} (peer)`
      : `metahpo ${LEARNER_NAMES[method] ?? method}`;
    return [name, ...COLUMNS.map((c) => cellText(record[c]))];
  });
  return [
    `${iterations} meta-iterations per learner, 600 evaluation tasks, MSE mean ± 95% CI over the ` +
    `tasks whose loss stayed finite (diverged tasks counted in brackets); ` +
    `${provenanceLine(readProvenance(dir))}.${speedLine}`,
    "",
    markdownTable(["learner", ...HEADERS], rows),
    ...(medianRows.length > 0
      ? [
        "",
        "Median query MSE over the 600 tasks (robust to a single task that blows up):",
        "",
        markdownTable(["learner", ...HEADERS], medianRows),
      ]
      : []),
    "",
    peerAgreement(table),
    "",
    ...mamlFullReading(table),
    ...perTaskRerunReading(dir, table),
  ].join("\n");
}

/** One evaluation of `bench/maml.ts --out`: the plain mean and the shared finite rule. */
interface RerunEvaluation {
  mean: number | null;
  finiteMean: number;
  finiteCi95: number;
  median: number;
  divergedTasks: number;
  tasks: number;
}

/**
 * Sentences from `maml_70k_per_task.json` (when present in `dir`): learners of the full run
 * re-run alone with the same seed by `bench/maml.ts --out`, whose per-task detail shows how many
 * tasks a "diverged" cell stands for and what the others give.
 */
function perTaskRerunReading(dir: URL, table: SummaryCsvTable): string[] {
  const file = new URL("maml_70k_per_task.json", dir);
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch {
    return [];
  }
  const rerun = JSON.parse(text) as {
    provenance: { command: string; commit: string; date: string; wallSeconds: number };
    results: { learner: string; iterations: number; mse: Record<string, RerunEvaluation> }[];
  };
  const p = rerun.provenance;
  const label = (key: string) =>
    key.replace(/^k(\d+)_steps(\d+)$/, (_, k, n) => `K = ${k}, ${n} step${n === "1" ? "" : "s"}`);
  const parts = rerun.results.map((r) => {
    const name = LEARNER_NAMES[r.learner] ?? r.learner;
    const diverged = Object.entries(r.mse).filter(([, e]) => e.divergedTasks > 0);
    const detail = diverged.length === 0
      ? "no task diverged"
      : diverged.map(([key, e]) =>
        `${label(key)}: ${e.divergedTasks} of ${e.tasks} tasks diverged, the other ${
          e.tasks - e.divergedTasks
        } average ${lossFigure(e.finiteMean)} ± ${lossFigure(e.finiteCi95)} (median ${
          lossFigure(e.median)
        })`
      ).join("; ");
    return `${name} (${detail})`;
  });
  // The re-run must reproduce the full run: compare every cell the table shows as a number.
  const mismatches: string[] = [];
  let compared = 0;
  for (const r of rerun.results) {
    const record = table.records.find((t) => t.method === r.learner);
    for (const [key, e] of Object.entries(r.mse)) {
      const column = key.replace(
        /^k(\d+)_steps(\d+)$/,
        (_, k, n) => `k${k} ${n} step${n === "1" ? "" : "s"}`,
      );
      const cell = parseMseCell(record?.[column]);
      if (!cell) continue;
      compared++;
      if (lossFigure(cell.mean) !== lossFigure(e.finiteMean)) {
        mismatches.push(`${r.learner} ${column}`);
      }
    }
  }
  const agreement = mismatches.length === 0
    ? `its ${compared} figures that the table shows as numbers equal the table's`
    : `it differs from the table at ${mismatches.join(", ")}`;
  const finn = FINN_2017_SINUSOID_5SHOT;
  const maml = rerun.results.find((r) => r.learner === "maml")?.mse.k5_steps10;
  const finnVerdict = maml
    ? Math.abs(maml.finiteMean - finn.maml[10]) <= maml.finiteCi95
      ? `, inside the 95% interval of our MAML over the tasks that stayed finite`
      : `, outside the 95% interval of our MAML over the tasks that stayed finite`
    : "";
  return [
    "",
    `Per-task detail of the cells with diverged tasks: those learners re-run alone with the same ` +
    `seed and protocol (\`${p.command}\`, commit ${p.commit.slice(0, 7)}, ${
      p.date.slice(0, 10)
    }, ` +
    `${(p.wallSeconds / 60).toFixed(1)} min wall; \`maml_70k_per_task.json\`; ${agreement}): ${
      parts.join("; ")
    }. Finn et al. report ${finn.maml[10]} for MAML at ` +
    `K = 5 after ten steps${finnVerdict}.`,
  ];
}

/**
 * A sentence read off the full MAML table: our second-order MAML against Finn et al.'s published
 * K = 5 figures (a "diverged" cell is left to the per-task detail).
 */
function mamlFullReading(table: SummaryCsvTable): string[] {
  const ours = table.records.find((r) => r.method === "maml");
  if (!ours) return [];
  const left = (c: { diverged: number; tasks: number }) =>
    c.diverged > 0
      ? ` (over ${c.tasks - c.diverged} of ${c.tasks} tasks, ${c.diverged} diverged)`
      : "";
  const finn = FINN_2017_SINUSOID_5SHOT;
  const compare = (x: number, published: number) =>
    x <= published ? `at or below their ${published}` : `above their ${published}`;
  const parts = ([[1, "k5 1 step", "one step"], [10, "k5 10 steps", "ten steps"]] as const)
    .flatMap(([steps, column, words]) => {
      const cell = parseMseCell(ours[column]);
      return cell
        ? [
          `after ${words} ours is ${lossFigure(cell.mean)}${left(cell)}, ${
            compare(cell.mean, finn.maml[steps])
          }`,
        ]
        : [];
    });
  return parts.length === 0
    ? []
    : [`Against Finn et al.'s K = 5 MAML figures (means only): ${parts.join("; ")}.`];
}

/**
 * Where ours and the PyTorch peer both report a finite figure for the same learner and column:
 * whether our mean lies within the peer's 95% interval, below or above it.
 */
function peerAgreement(table: SummaryCsvTable): string {
  const parts: string[] = [];
  for (const record of table.records) {
    const method = String(record.method);
    if (method.startsWith("torch-")) continue;
    const peer = table.records.find((r) => r.method === `torch-${method}`);
    if (!peer) continue;
    const cells = COLUMNS.flatMap((column, i) => {
      const ours = parseMseCell(record[column]), theirs = parseMseCell(peer[column]);
      if (!ours || !theirs || theirs.mean > 1e3 || ours.mean > 1e3) return [];
      const where = ours.mean < theirs.mean - theirs.half
        ? "below"
        : ours.mean > theirs.mean + theirs.half
        ? "above"
        : "within";
      return [
        `${HEADERS[i]}: ${ours.mean.toFixed(3)} against ${theirs.mean.toFixed(3)} ± ` +
        `${theirs.half.toFixed(3)}, ${where}`,
      ];
    });
    if (cells.length > 0) {
      parts.push(`${LEARNER_NAMES[method] ?? method} (${cells.join("; ")})`);
    }
  }
  return parts.length === 0
    ? ""
    : `Where both implementations report a settled figure (mean below ` +
      `10³), ours against the PyTorch peer's 95% interval: ${parts.join("; ")}.`;
}

/**
 * First-order MAML over meta-training seeds, ours and the PyTorch peer
 * (`results/maml_full/fomaml_seeds`, summarised by `bench/maml_seeds.ts`): each cell's mean, spread
 * and range over seeds next to the single-run interval over tasks, and ours against the peer with
 * both counted (and against the peer run in float64, when `peer64_seed<S>.json` runs are there).
 */
export function mamlSeedsBlock(
  dir: URL = new URL("maml_full/fomaml_seeds/", RESULTS),
  fullDir: URL = new URL("maml_full/", RESULTS),
): string {
  const runs = readSeedRuns(dir, fullDir);
  const comparison = seedComparison(runs);
  return [
    `First-order MAML, ${runs[0].iterations.toLocaleString("en-US")} meta-iterations, by ` +
    `meta-training seed; ${seedProvenance(runs)}. Over seeds (a seed whose mean is above 10³, ` +
    `one task blown up by ten steps, left out and named), next to the interval over tasks that ` +
    `one run reports:`,
    "",
    seedSpreadTable(runs),
    ...(comparison ? ["", comparison] : []),
  ].join("\n");
}

/** The quick-size MAML table of the committed default bench run (`results/bench`). */
export function mamlQuickBlock(dir: URL = new URL("bench/", RESULTS)): string {
  const table = mamlTable(readSummaryCsv(dir));
  const rows = table.records.map((record) => [
    LEARNER_NAMES[String(record.method)] ?? String(record.method),
    ...COLUMNS.map((c) => cellText(record[c])),
  ]);
  return [
    `${iterationsOf(table).toLocaleString("en-US")} meta-iterations per learner, 200 evaluation ` +
    `tasks; ${provenanceLine(readProvenance(dir))}.`,
    "",
    markdownTable(["learner", ...HEADERS], rows),
  ].join("\n");
}

/**
 * A comparison run's query MSE after 1 and 10 steps per arm and task (mean ± 95% CI over meta-test
 * tasks, each averaged over the seeds; tasks where the arm diverged in any seed are left out and
 * counted, as in the suite's table).
 */
export function comparisonBlock(dir: URL): string {
  const table = summaryTable(readSummaryCsv(dir), "comparison: Query MSE on meta-test tasks");
  const tasks = [...new Set(table.records.map((r) => String(r.task)))];
  const methods = [...new Set(table.records.map((r) => String(r.method)))];
  const format = (mean: string | number | undefined, half: string | number | undefined) => {
    if (typeof mean !== "number" || !Number.isFinite(mean)) return "diverged";
    if (mean >= 1e3) return `${mean.toExponential(1)}`;
    return `${mean.toFixed(3)} ± ${typeof half === "number" ? half.toFixed(3) : "?"}`;
  };
  const rows = methods.map((method) => [
    method,
    ...tasks.flatMap((task) => {
      const record = table.records.find((r) => r.task === task && r.method === method);
      if (!record) return ["–", "–"];
      const diverged = String(record.diverged ?? "");
      const at = (step: number) => {
        const text = format(record[`mse@${step}`], record[`±@${step}`]);
        const count = diverged.match(new RegExp(`(?:^|, )${step}: (\\d+/\\d+)`));
        return count ? `${text} (${count[1]} diverged)` : text;
      };
      return [at(1), at(10)];
    }),
  ]);
  const first = table.records[0] ?? {};
  const cell = typeof first.tasks === "number"
    ? `${first.tasks} meta-test tasks per cell, each averaged over ${first.seeds} seeds`
    : `${first["tasks×seeds"]} (meta-test task, seed) pairs per cell`;
  return [
    `${provenanceLine(readProvenance(dir))}; ${cell}.`,
    "",
    markdownTable(
      ["arm", ...tasks.flatMap((t) => [`${t} @1`, `${t} @10`])],
      rows,
    ),
  ].join("\n");
}

/** The conclusions a run printed (its `results.json` notes of `suite`), as a bullet list. */
export function notesBlock(dir: URL, suite: string): string {
  const run = JSON.parse(Deno.readTextFileSync(new URL("results.json", dir))) as {
    notes?: string[];
  };
  const prefix = `${suite}: `;
  const notes = (run.notes ?? []).filter((n) => n.startsWith(prefix));
  if (notes.length === 0) throw new Error(`${dir.pathname}results.json: no "${suite}" notes`);
  return notes.map((n) => `- ${n.slice(prefix.length)}`).join("\n");
}

/** Names of the few-shot arms in the README table. */
const FEWSHOT_ARMS: Readonly<Record<string, string>> = {
  maml: "MAML (second order)",
  fomaml: "first-order MAML",
  metasgd: "Meta-SGD",
  anil: "ANIL",
  "learned-hp": "learned hyperparameters",
  scratch: "from scratch",
  "smbo-scratch": "from scratch, SMBO-tuned",
};

/**
 * The few-shot MNIST table of the committed full run: query accuracy % after 10 steps (mean ± 95%
 * CI: over meta-test episodes with one seed, over seeds with several; `fewShotAccuracy`), and
 * the SMBO-tuned scratch learner at its own steps (the median over seeds of the steps SMBO chose).
 * With the committed run of the PyTorch reference (`bench/fewshot_peer.ts`, methods
 * `torch-<learner>`) in `peerDir`, its accuracies in columns beside ours and, below, whether each
 * of ours lies within the reference's 95% CI.
 */
export function fewshotBlock(dir: URL, peerDir?: URL): string {
  const peerRows = peerDir && existsSync(new URL("results.csv", peerDir))
    ? readResultsCsv(peerDir)
    : [];
  const ourRows = readResultsCsv(dir);
  const rows = [...ourRows, ...peerRows];
  const tasks = ["mnist-5w1s", "mnist-5w5s"];
  const at = (task: string, method: string, step: number) => {
    const accuracy = fewShotAccuracy(rows, task, method, step);
    return accuracy === undefined
      ? "–"
      : `${(100 * accuracy.mean).toFixed(1)} ± ${(100 * accuracy.ci95).toFixed(1)}`;
  };
  const seeds = [...new Set(ourRows.map((r) => Number(r.seed)))].sort((a, b) => a - b);
  // SMBO picks its own number of steps per seed: the row reports each seed's at its own.
  const own = (task: string) => {
    const found = fewShotOwnStepsAccuracy(rows, task);
    return found
      ? `${(100 * found.mean).toFixed(1)} ± ${(100 * found.ci95).toFixed(1)} (${
        found.steps.join(", ")
      })`
      : "–";
  };
  const peer = peerRows.length > 0;
  const body = Object.entries(FEWSHOT_ARMS).map(([method, label]) => [
    `${label}, 10 steps`,
    ...tasks.flatMap((task) => [
      at(task, method, 10),
      ...(peer ? [at(task, `torch-${method}`, 10)] : []),
    ]),
  ]);
  body.push([
    "from scratch, SMBO-tuned, its own steps",
    ...tasks.flatMap((task) => [own(task), ...(peer ? ["–"] : [])]),
  ]);
  const provenance = readProvenance(dir);
  const size = FEWSHOT_SIZES[/--full\b/.test(provenance.command) ? "full" : "quick"];
  // The run's own record (newer runs), else its command, else the size's default.
  const recorded = rows.find((r) =>
    r.metric === "meta_iterations" && !r.method.startsWith("torch-")
  )
    ?.value;
  const iterations = Number(
    recorded ?? provenance.command.match(/--iterations (\d+)/)?.[1] ?? size.metaIterations,
  );
  // Arms merged from runs of different seeds each say which seeds they have.
  const armSeeds = Object.keys(FEWSHOT_ARMS)
    .map((method) => ({ method, seeds: seedsOf(rows, method) }))
    .filter((a) => a.seeds.length > 0);
  const bySeeds = new Map<string, string[]>();
  for (const a of armSeeds) {
    const key = seedRange(a.seeds);
    bySeeds.set(key, [...(bySeeds.get(key) ?? []), FEWSHOT_ARMS[a.method]]);
  }
  const over = bySeeds.size > 1
    ? `mean over each arm's seeds (${
      [...bySeeds].map(([range, arms]) => `seeds ${range} for ${listed(arms)}`).join("; ")
    }) ± 95% CI over seeds (Student t)`
    : seeds.length > 1
    ? `mean over seeds ${seeds.join(", ")} ± 95% CI over seeds (Student t)`
    : "mean ± 95% CI over meta-test episodes, one seed";
  const header = peer
    ? ["method", "5-way 1-shot", "PyTorch, 1-shot", "5-way 5-shot", "PyTorch, 5-shot"]
    : ["method", "5-way 1-shot", "5-way 5-shot"];
  return [
    `${provenanceLine(provenance)}. ${
      iterations.toLocaleString("en-US")
    } meta-iterations per learner (meta-batch ${size.metaBatchSize}), ${size.testTasks} ` +
    `meta-test episodes per seed; query accuracy %, ${over}.`,
    ...(peer
      ? [
        "",
        `PyTorch reference (\`bench/peers/fewshot_torch.py\`, the same learners written in ` +
        `PyTorch, meta-trained on the same class pools and scored on the same meta-test ` +
        `episodes; ${peerSeedCounts(rows)}): ${provenanceLine(readProvenance(peerDir!))}.`,
      ]
      : []),
    "",
    markdownTable(header, body),
    "",
    [...fewshotReading(rows), ...(peer ? fewshotPeerReading(rows, tasks) : [])]
      .map((line) => `- ${line}`).join("\n"),
  ].join("\n");
}

/**
 * Our meta-learners against the PyTorch reference on the MNIST tasks, from one run of ours (`dir`)
 * and one of the reference (`peerDir`, `bench/fewshot_peer.ts`): both provenance lines, the
 * accuracy after 10 steps side by side, and whether each of ours lies within the reference's 95%
 * CI.
 */
export function fewshotPeerBlock(dir: URL, peerDir: URL): string {
  const rows = [...readResultsCsv(dir), ...readResultsCsv(peerDir)];
  const tasks = ["mnist-5w1s", "mnist-5w5s"];
  const cell = (task: string, method: string) => {
    const a = fewShotAccuracy(rows, task, method, 10);
    return a ? `${(100 * a.mean).toFixed(1)} ± ${(100 * a.ci95).toFixed(1)}` : "–";
  };
  const body = ["maml", "fomaml", "metasgd", "anil"].map((method) => [
    `${FEWSHOT_ARMS[method]}, 10 steps`,
    ...tasks.flatMap((task) => [cell(task, method), cell(task, `torch-${method}`)]),
  ]);
  return [
    `- ours: ${provenanceLine(readProvenance(dir))}`,
    `- PyTorch reference: ${provenanceLine(readProvenance(peerDir))}`,
    "",
    "Query accuracy %, mean over seeds ± 95% CI over seeds (Student t):",
    "",
    markdownTable(
      ["method", "ours, 1-shot", "PyTorch, 1-shot", "ours, 5-shot", "PyTorch, 5-shot"],
      body,
    ),
    "",
    ...fewshotPeerReading(rows, tasks).map((line) => `- ${line}`),
  ].join("\n");
}

/**
 * Ours against the PyTorch reference in its default float32 arithmetic (`peerDir`, methods
 * `torch-<learner>`) and in float64 (`peer64Dir`, `bench/fewshot_peer.ts --dtype float64`,
 * methods `torch64-<learner>`) for the learners the float64 run has, after 1 and 10 steps: the
 * three provenance lines, the accuracies side by side and whether ours lies within each
 * reference's 95% CI over seeds.
 */
export function fewshotArithmeticBlock(dir: URL, peerDir: URL, peer64Dir: URL): string {
  const rows = [...readResultsCsv(dir), ...readResultsCsv(peerDir), ...readResultsCsv(peer64Dir)];
  const tasks = ["mnist-5w1s", "mnist-5w5s"];
  const learners = [
    ...new Set(
      rows.filter((r) => r.method.startsWith("torch64-")).map((r) =>
        r.method.slice("torch64-".length)
      ),
    ),
  ].filter((l) => l in FEWSHOT_ARMS);
  const pct = (a: FewShotAccuracy | undefined) =>
    a ? `${(100 * a.mean).toFixed(1)} ± ${(100 * a.ci95).toFixed(1)}` : "–";
  // Each column's number of seeds is in the header; a cell with another count says its own.
  const count = (prefix: string) => {
    const counts = new Set(learners.map((l) => scoredSeeds(rows, `${prefix}${l}`)));
    return counts.size === 1 ? `, ${[...counts][0]} seeds` : "";
  };
  const body: string[][] = [];
  const verdicts: string[] = [];
  for (const learner of learners) {
    for (const step of [1, 10]) {
      const cells = tasks.map((task) => ({
        task,
        ours: fewShotAccuracy(rows, task, learner, step),
        f32: fewShotAccuracy(rows, task, `torch-${learner}`, step),
        f64: fewShotAccuracy(rows, task, `torch64-${learner}`, step),
      }));
      body.push([
        `${FEWSHOT_ARMS[learner]}, ${step} step${step === 1 ? "" : "s"}`,
        ...cells.flatMap((c) => [pct(c.ours), pct(c.f32), pct(c.f64)]),
      ]);
      for (const c of cells) {
        if (!c.ours || !c.f32 || !c.f64) continue;
        const within = (ref: FewShotAccuracy) => Math.abs(c.ours!.mean - ref.mean) <= ref.ci95;
        verdicts.push(
          `${FEWSHOT_ARMS[learner]} on ${c.task} after ${step} step${step === 1 ? "" : "s"}: ` +
            `ours ${pct(c.ours)} ${within(c.f32) ? "within" : "outside"} the float32 ` +
            `reference's interval (${pct(c.f32)}), ${within(c.f64) ? "within" : "outside"} the ` +
            `float64 reference's (${pct(c.f64)}).`,
        );
      }
    }
  }
  return [
    `- ours: ${provenanceLine(readProvenance(dir))}`,
    `- PyTorch reference, float32: ${provenanceLine(readProvenance(peerDir))}`,
    `- PyTorch reference, float64: ${provenanceLine(readProvenance(peer64Dir))}`,
    "",
    "Query accuracy %, mean over seeds ± 95% CI over seeds (Student t):",
    "",
    markdownTable(
      [
        "method",
        ...["1-shot", "5-shot"].flatMap((shots) => [
          `ours, ${shots}${count("")}`,
          `PyTorch float32, ${shots}${count("torch-")}`,
          `PyTorch float64, ${shots}${count("torch64-")}`,
        ]),
      ],
      body,
    ),
    "",
    ...verdicts.map((line) => `- ${line}`),
  ].join("\n");
}

/** How many seeds scored `method` (its `accuracy` rows, any task and step). */
function scoredSeeds(rows: readonly ResultRow[], method: string): number {
  return seedsOf(rows, method).length;
}

/** The seeds that scored `method` (its `accuracy` rows, any task and step), ascending. */
function seedsOf(rows: readonly ResultRow[], method: string): number[] {
  return [
    ...new Set(
      rows.filter((r) => r.method === method && r.metric === "accuracy").map((r) => Number(r.seed)),
    ),
  ].sort((a, b) => a - b);
}

/** Ascending seeds as text: "0–9" when consecutive, else "0, 2, 5". */
function seedRange(seeds: readonly number[]): string {
  const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  return consecutive && seeds.length > 2
    ? `${seeds[0]}–${seeds[seeds.length - 1]}`
    : seeds.join(", ");
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * How many seeds the PyTorch reference's learners (methods `torch-<learner>`; ours with
 * `prefix` "") were scored on: "5 seeds" when all have the same count, else each learner's ("10
 * seeds of MAML (second order), 5 of first-order MAML, …"), as runs merged from separate
 * processes can hold.
 */
function peerSeedCounts(
  rows: readonly ResultRow[],
  prefix = "torch-",
  learners: readonly string[] = Object.keys(FEWSHOT_ARMS),
): string {
  const counts = learners
    .map((learner) => ({ learner, seeds: scoredSeeds(rows, `${prefix}${learner}`) }))
    .filter((c) => c.seeds > 0);
  if (new Set(counts.map((c) => c.seeds)).size <= 1) return `${counts[0]?.seeds ?? 0} seeds`;
  return counts.map((c, i) => `${c.seeds}${i === 0 ? " seeds" : ""} of ${FEWSHOT_ARMS[c.learner]}`)
    .join(", ");
}

/**
 * Whether each of our meta-learners' accuracy after 10 steps lies within the 95% CI of the same
 * learner in the PyTorch reference (methods `torch-<learner>`), per task.
 */
function fewshotPeerReading(rows: readonly ResultRow[], tasks: readonly string[]): string[] {
  const pct = (a: FewShotAccuracy) => `${(100 * a.mean).toFixed(1)} ± ${(100 * a.ci95).toFixed(1)}`;
  const inside: string[] = [];
  const outside: string[] = [];
  const paired: { cell: string; label: string; mean: number; halfWidth: number; seeds: number }[] =
    [];
  for (const task of tasks) {
    for (const method of Object.keys(FEWSHOT_ARMS)) {
      const ours = fewShotAccuracy(rows, task, method, 10);
      const theirs = fewShotAccuracy(rows, task, `torch-${method}`, 10);
      if (!ours || !theirs) continue;
      const cell = `${FEWSHOT_ARMS[method]} on ${task}`;
      const difference = fewShotPairedDifference(rows, task, method, `torch-${method}`, 10);
      if (difference) paired.push({ cell, label: FEWSHOT_ARMS[method], ...difference });
      if (Math.abs(ours.mean - theirs.mean) <= theirs.ci95) inside.push(cell);
      else {
        outside.push(
          `${cell}: ${pct(ours)} against ${pct(theirs)} (${
            ours.mean > theirs.mean ? "above" : "below"
          })`,
        );
      }
    }
  }
  if (inside.length + outside.length === 0) return [];
  const sentences = [
    `Against the PyTorch reference after 10 steps: ${inside.length} of ${
      inside.length + outside.length
    } learner–task cells lie within its 95% CI${
      outside.length ? `; outside it: ${outside.join("; ")}` : ""
    }.`,
  ];
  if (paired.length > 0) {
    const points = (v: number) => (100 * v).toFixed(1);
    const apart = paired.filter((p) => Math.abs(p.mean) > p.halfWidth);
    // Learners merged from runs of different seeds are paired on the seeds both ran.
    const counts = new Map<number, string[]>();
    for (const p of paired) {
      const labels = counts.get(p.seeds) ?? [];
      if (!labels.includes(p.label)) labels.push(p.label);
      counts.set(p.seeds, labels);
    }
    const over = counts.size === 1
      ? `the ${paired[0].seeds} seeds`
      : `the seeds both ran (${
        [...counts].map(([n, labels]) => `${n} for ${listed(labels)}`).join("; ")
      })`;
    sentences.push(
      `Paired by seed (each seed's meta-test episodes are the same for both), ours minus the ` +
        `reference, mean ± 95% CI over ${over}: 0 lies inside the interval ` +
        `in ${paired.length - apart.length} of ${paired.length} cells${
          apart.length
            ? `; not in ${
              apart.map((p) =>
                `${p.cell} (${p.mean > 0 ? "+" : ""}${points(p.mean)} ± ${points(p.halfWidth)})`
              ).join("; ")
            }`
            : ""
        }.`,
    );
  }
  return sentences;
}

/**
 * What a few-shot run says, per task: the best meta-learner after 10 steps against the best
 * training from scratch after 10 steps and the SMBO-tuned scratch learner at its own steps, with
 * whether the 95% CIs separate.
 */
function fewshotReading(rows: readonly ResultRow[]): string[] {
  const tasks = [...new Set(rows.map((r) => r.task))];
  const pct = (a: FewShotAccuracy) => `${(100 * a.mean).toFixed(1)} ± ${(100 * a.ci95).toFixed(1)}`;
  const compare = (a: FewShotAccuracy, b: FewShotAccuracy) =>
    a.mean - a.ci95 > b.mean + b.ci95
      ? "the meta-learner ahead, CIs separate"
      : b.mean - b.ci95 > a.mean + a.ci95
      ? "the meta-learner behind, CIs separate"
      : "CIs overlap";
  return tasks.flatMap((task) => {
    const arms = [
      ...new Set(
        rows.filter((r) => r.task === task && r.metric === "accuracy").map((r) => r.method),
      ),
    ];
    const scored = (methods: string[], step: number) =>
      methods.map((m) => ({ method: m, accuracy: fewShotAccuracy(rows, task, m, step) }))
        .filter((x): x is { method: string; accuracy: FewShotAccuracy } =>
          x.accuracy !== undefined && Number.isFinite(x.accuracy.mean)
        )
        .sort((a, b) => b.accuracy.mean - a.accuracy.mean);
    const meta = scored(arms.filter((m) => !m.endsWith("scratch")), 10)[0];
    const scratch = scored(arms.filter((m) => m.endsWith("scratch")), 10)[0];
    if (!meta || !scratch) return [];
    const own = fewShotOwnStepsAccuracy(rows, task);
    const ownText = own
      ? `; SMBO-tuned training from scratch at its own steps (${own.steps.join(", ")}) reaches ${
        pct(own)
      } (${compare(meta.accuracy, own)})`
      : "";
    return [
      `${task}: after 10 steps the best meta-learner, ${
        FEWSHOT_ARMS[meta.method] ?? meta.method
      }, reaches ${pct(meta.accuracy)} against ${pct(scratch.accuracy)} for ${
        FEWSHOT_ARMS[scratch.method] ?? scratch.method
      } (${compare(meta.accuracy, scratch.accuracy)})${ownText}.`,
    ];
  });
}

/** Least-squares slope of y on x. */
function slope(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/**
 * The MAML speed table of the committed speed run (`results/maml_speed`, written by
 * `bench/maml.ts --speed --out`): process CPU ms per second-order meta-iteration (wall ms in
 * parentheses) of ours (fused engine and tfjs tape, wasm) and the PyTorch reference timed back to
 * back, the ratios, the load average, then the target check at meta-batch 25 and how each grows
 * with the meta-batch and the width.
 */
export function mamlSpeedBlock(dir: URL = new URL("maml_speed/", RESULTS)): string {
  const table = summaryTable(readSummaryCsv(dir), "maml-speed: ");
  const num = (r: Record<string, string | number>, key: string) => {
    const v = r[key];
    return typeof v === "number" ? v : NaN;
  };
  const ms = (r: Record<string, string | number>, engine: string) => {
    const cpu = num(r, `${engine} CPU ms`), wall = num(r, `${engine} wall ms`);
    return Number.isFinite(cpu) ? `${cpu.toFixed(2)} (${wall.toFixed(1)})` : "–";
  };
  const ratio = (v: number) => Number.isFinite(v) ? v.toFixed(2) : "–";
  const rows = table.records.map((r) => [
    String(r["meta-batch"]),
    String(r.width),
    ms(r, "fused"),
    ms(r, "tape"),
    ms(r, "torch"),
    ratio(num(r, "fused / torch CPU")),
    ratio(num(r, "tape / torch CPU")),
    ratio(num(r, "fused / torch wall")),
    num(r, "load").toFixed(1),
  ]);
  const rounds = table.title.match(/median over (\d+) rounds of (\d+) timed iterations/);
  const target = table.records.find((r) => r["meta-batch"] === 25 && r.width === 40);
  const sentences: string[] = [];
  if (target) {
    const cpu = num(target, "fused / torch CPU"), wall = num(target, "fused / torch wall");
    sentences.push(
      `At meta-batch 25 and width 40 (Finn et al.'s setting) the fused engine takes ` +
        `${cpu.toFixed(2)}× PyTorch's CPU time per meta-iteration and ${wall.toFixed(2)}× its ` +
        `wall time: the target of at most 0.5× is ${
          cpu <= 0.5 && wall <= 0.5
            ? "met on both"
            : cpu <= 0.5
            ? "met on CPU time, not on wall time"
            : wall <= 0.5
            ? "met on wall time, not on CPU time"
            : "not met"
        }.`,
    );
  }
  const byBatch = table.records.filter((r) => r.width === 40);
  if (byBatch.length >= 2) {
    const x = byBatch.map((r) => num(r, "meta-batch"));
    const per = (engine: string) => slope(x, byBatch.map((r) => num(r, `${engine} CPU ms`)));
    sentences.push(
      `Per task added to the meta-batch (width 40, least-squares slope of CPU ms), ours costs ` +
        `${per("fused").toFixed(3)} ms (fused) and ${per("tape").toFixed(3)} ms (tape), PyTorch ` +
        `${per("torch").toFixed(3)} ms.`,
    );
  }
  const byWidth = table.records.filter((r) => r["meta-batch"] === 25)
    .sort((a, b) => num(a, "width") - num(b, "width"));
  if (byWidth.length >= 2) {
    const [lo, hi] = [byWidth[0], byWidth[byWidth.length - 1]];
    const growth = (engine: string) =>
      (num(hi, `${engine} CPU ms`) / num(lo, `${engine} CPU ms`)).toFixed(1);
    sentences.push(
      `From width ${lo.width} to ${hi.width} at meta-batch 25 the CPU time grows ` +
        `${growth("fused")}× (fused), ${growth("tape")}× (tape) and ${growth("torch")}× (PyTorch).`,
    );
  }
  return [
    `${provenanceLine(readProvenance(dir))}${
      rounds ? `; median over ${rounds[1]} rounds of ${rounds[2]} timed meta-iterations` : ""
    }.`,
    "",
    markdownTable(
      [
        "meta-batch",
        "width",
        "fused, wasm",
        "tfjs tape, wasm",
        "PyTorch",
        "fused / PyTorch",
        "tape / PyTorch",
        "fused / PyTorch, wall",
        "load",
      ],
      rows,
    ),
    "",
    sentences.join(" "),
  ].join("\n");
}

/**
 * How the length of meta-training changes the few-shot accuracy on the held-out classes: per
 * meta-learner and K, the mean over seeds after 10 steps at the shorter run's length and at the
 * longer one's, for ours and the PyTorch reference (when both lengths of it are committed), with
 * the seeds that end within 10 points of chance (1 / ways) at the longer length.
 */
export function fewshotLengthBlock(
  short: { ours: URL; peer: URL },
  long: { ours: URL; peer: URL },
): string {
  const tasks = ["mnist-5w1s", "mnist-5w5s"];
  const [shortOurs, shortPeer, longOurs, longPeer] = [short.ours, short.peer, long.ours, long.peer]
    .map((dir) => readResultsCsv(dir));
  const shortRows = [...shortOurs, ...shortPeer];
  const longRows = [...longOurs, ...longPeer];
  const iterations = (rows: readonly ResultRow[]) =>
    rows.find((r) => r.metric === "meta_iterations")?.value;
  const [from, to] = [iterations(shortRows), iterations(longRows)];
  const fmt = (v: number | undefined) => v === undefined ? "?" : v.toLocaleString("en-US");
  let lower = 0, compared = 0;
  const cell = (task: string, method: string) => {
    const a = fewShotAccuracy(shortRows, task, method, 10);
    const b = fewShotAccuracy(longRows, task, method, 10);
    if (!a || !b) return "–";
    compared++;
    if (b.mean < a.mean) lower++;
    const chance = 1 / Number(task.match(/-(\d+)w/)![1]);
    const seeds = [...fewShotSeedAccuracies(longRows, task, method, 10).values()];
    const near = seeds.filter((value) => value < chance + 0.1).length;
    return `${(100 * a.mean).toFixed(1)} → ${(100 * b.mean).toFixed(1)}${
      near > 0 ? ` (${near} of ${seeds.length} seeds near chance)` : ""
    }`;
  };
  const methods = ["maml", "fomaml", "metasgd", "anil", "learned-hp"];
  const body = methods.map((method) => [
    FEWSHOT_ARMS[method],
    ...tasks.flatMap((task) => [cell(task, method), cell(task, `torch-${method}`)]),
  ]);
  return [
    `Query accuracy % after 10 steps on the held-out digits, mean over seeds, ${fmt(from)} → ` +
    `${fmt(to)} meta-iterations (ours ${peerSeedCounts(shortOurs, "", methods)} → ${
      peerSeedCounts(longOurs, "", methods)
    }, ` +
    `PyTorch ${peerSeedCounts(shortPeer)} → ${peerSeedCounts(longPeer)}; from \`${
      short.ours.pathname.split("/results/")[1]
    }\` and \`${short.peer.pathname.split("/results/")[1]}\` to \`${
      long.ours.pathname.split("/results/")[1]
    }\` and \`${long.peer.pathname.split("/results/")[1]}\`; seeds near chance: within 10 ` +
    "points of 1 / ways at the longer length):",
    "",
    markdownTable(
      ["learner", "ours, 1-shot", "PyTorch, 1-shot", "ours, 5-shot", "PyTorch, 5-shot"],
      body,
    ),
    "",
    `Lower after ${fmt(to)} meta-iterations than after ${fmt(from)} in ${lower} of ${compared} ` +
    "cells.",
  ].join("\n");
}

/**
 * The few-shot speed table of the committed run (`results/fewshot/speed`, written by
 * `bench/fewshot_speed.ts --out`): per K and learner, the medians over the rounds of the process
 * CPU ms per meta-iteration (wall ms in parentheses) of ours and of the PyTorch reference, timed
 * back to back, and the ratios ours / PyTorch.
 */
export function fewshotSpeedBlock(dir: URL = new URL("fewshot/speed/", RESULTS)): string {
  const rows = readResultsCsv(dir);
  const of = (task: string, method: string, metric: string) =>
    median(
      rows.filter((r) => r.task === task && r.method === method && r.metric === metric)
        .map((r) => r.value),
    );
  const rounds = new Set(
    rows.filter((r) => r.metric === "ms_cpu_per_meta_iteration")
      .map((r) => r.step),
  ).size;
  const settings = [
    ...new Set(
      rows.filter((r) => r.method.startsWith("ours-")).map((r) =>
        `${r.task}\t${r.method.slice(5)}`
      ),
    ),
  ].map((key) => key.split("\t"));
  const ratios: number[] = [];
  const table = settings.map(([task, learner]) => {
    const cell = (who: string) =>
      `${of(task, `${who}-${learner}`, "ms_cpu_per_meta_iteration").toFixed(2)} (${
        of(task, `${who}-${learner}`, "ms_wall_per_meta_iteration").toFixed(1)
      })`;
    const cpu = of(task, `ours-${learner}`, "ms_cpu_per_meta_iteration") /
      of(task, `torch-${learner}`, "ms_cpu_per_meta_iteration");
    const wall = of(task, `ours-${learner}`, "ms_wall_per_meta_iteration") /
      of(task, `torch-${learner}`, "ms_wall_per_meta_iteration");
    ratios.push(cpu);
    return [
      task,
      learner,
      cell("ours"),
      cell("torch"),
      cpu.toFixed(2),
      wall.toFixed(2),
      of(task, "machine", "load").toFixed(1),
    ];
  });
  const p = readProvenance(dir) as ReturnType<typeof readProvenance> & { torch?: string };
  return [
    `${provenanceLine(p)}${p.torch ? `, torch ${p.torch}` : ""}; median over ${rounds} rounds.`,
    "",
    markdownTable(
      [
        "task",
        "learner",
        "ours",
        "PyTorch",
        "ours / PyTorch, CPU",
        "ours / PyTorch, wall",
        "load",
      ],
      table,
    ),
    "",
    `Ours takes ${Math.min(...ratios).toFixed(2)}–${
      Math.max(...ratios).toFixed(2)
    }× PyTorch's CPU time per meta-iteration over these ${ratios.length} settings.`,
  ].join("\n");
}

/** A regret in the transfer tables: 3 significant digits (exponent below 0.001), 0 as 0. */
function regretText(value: string | number | undefined): string {
  return typeof value === "number" ? significantText(value) : "–";
}

/**
 * A number for a results table: integers whole (0 included), others to 3 significant digits, in
 * exponent notation below 1e-3 in magnitude.
 */
export function significantText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) < 1e-3 ? value.toExponential(2) : Number(value.toPrecision(3)).toString();
}

/** The problem set of a transfer table title (what follows its `prefix`). */
function problemSetOf(title: string, prefix: string): string {
  return title.slice(prefix.length);
}

/**
 * The transfer suites' default strategy against plain GP-BO per problem set, from the committed
 * runs in `dirs` (each a `summary.csv` with the suite's "default strategy (…) vs plain GP-BO"
 * tables): mean normalised regret of both after 10 / 25 / 50 evaluations and the checks met.
 */
export function transferDefaultBlock(dirs: readonly URL[]): string {
  const rows: string[][] = [];
  const lines: string[] = [];
  let strategy = "";
  for (const dir of dirs) {
    lines.push(`- ${provenanceLine(readProvenance(dir))}`);
    for (const table of readSummaryCsv(dir)) {
      const match = table.title.match(
        /^(?:[\w-]+: )?default strategy \(([\w-]+)\) vs plain GP-BO, /,
      );
      if (!match) continue;
      strategy = match[1];
      const records = table.records;
      const checks = records.flatMap((r) => [
        r["default <= gp"] === "yes" ? "" : `${r.step}: > GP-BO`,
        String(r["needs <= 0.5 gp"]).includes("MISSED") ? `${r.step}: > 0.5× GP-BO` : "",
        r["best <= portfolio"] === "NO" ? `${r.step}: best > portfolio` : "",
      ]).filter((c) => c !== "");
      rows.push([
        problemSetOf(table.title, match[0]),
        records.map((r) => regretText(r["gp regret"])).join(" / "),
        records.map((r) => regretText(r["default regret"])).join(" / "),
        checks.length === 0 ? "all met" : `missed: ${checks.join("; ")}`,
      ]);
    }
  }
  return [
    ...lines,
    "",
    markdownTable(
      [
        "problems",
        "plain GP-BO @10 / 25 / 50",
        `\`${strategy}\` (default) @10 / 25 / 50`,
        "checks",
      ],
      rows,
    ),
  ].join("\n");
}

/**
 * The default strategy against plain GP-BO paired by held-out task, from the long-format rows
 * (`results.csv`) of the committed runs in `dirs`: per problem set (a task's name up to its first
 * `:` or, without one, its first `/`) and step, each held-out task's normalised regret averaged
 * over its seeds for both, and the mean over tasks of the default's minus GP-BO's with its 95%
 * Student-t interval over tasks, with the count of tasks on which the default is above, level
 * with and below GP-BO. Where the interval holds 0, the tasks cannot tell the two apart.
 */
export function transferPairedBlock(
  dirs: readonly URL[],
  strategy = "rgpe-gp",
  steps: readonly number[] = [10, 25, 50],
): string {
  const body: string[][] = [];
  for (const dir of dirs) {
    const rows = readResultsCsv(dir).filter((r) =>
      r.metric === "normalized_regret" && (r.method === strategy || r.method === "gp") &&
      steps.includes(Number(r.step))
    );
    // task → method → step → regrets over seeds
    const byTask = new Map<string, Map<string, Map<number, number[]>>>();
    for (const r of rows) {
      const methods = byTask.get(r.task) ?? new Map<string, Map<number, number[]>>();
      byTask.set(r.task, methods);
      const bySteps = methods.get(r.method) ?? new Map<number, number[]>();
      methods.set(r.method, bySteps);
      const values = bySteps.get(Number(r.step)) ?? [];
      bySteps.set(Number(r.step), values);
      values.push(r.value);
    }
    const setOf = (task: string) =>
      task.includes(":") ? task.slice(0, task.indexOf(":")) : task.slice(0, task.indexOf("/"));
    const sets = [...new Set([...byTask.keys()].map(setOf))];
    for (const set of sets) {
      const cells = steps.map((step) => {
        const differences: number[] = [];
        for (const [task, methods] of byTask) {
          if (setOf(task) !== set) continue;
          const ours = methods.get(strategy)?.get(step);
          const theirs = methods.get("gp")?.get(step);
          if (!ours || !theirs) continue;
          differences.push(meanOf(ours) - meanOf(theirs));
        }
        const { mean, halfWidth } = meanInterval(differences);
        const { above, below } = signCounts(differences);
        return {
          text: `${significantText(mean)} ± ${significantText(halfWidth)}`,
          verdict: Number.isNaN(halfWidth)
            ? "no interval"
            : Math.abs(mean) <= halfWidth
            ? "0 inside"
            : mean > 0
            ? "above"
            : "below",
          counts: `${above} / ${differences.length - above - below} / ${below}`,
          tasks: differences.length,
        };
      });
      body.push([
        `${set} (${cells[0].tasks} tasks)`,
        ...cells.map((c) => `${c.text} (${c.verdict}; ${c.counts})`),
      ]);
    }
  }
  return [
    ...dirs.map((dir) => `- ${provenanceLine(readProvenance(dir))}`),
    "",
    `\`${strategy}\` minus plain GP-BO, mean normalised regret over held-out tasks (each task's ` +
    "seeds averaged first) ± 95% Student-t interval over tasks; in brackets whether the interval " +
    "holds 0, and the tasks on which the default is above / level with / below GP-BO:",
    "",
    markdownTable(["problems", ...steps.map((s) => `@${s}`)], body),
  ].join("\n");
}

/**
 * Mean normalised regret after 10 / 25 / 50 evaluations of `methods` per problem set, from the
 * "mean normalised regret, …" tables of the committed runs in `dirs` (the pooled "all families"
 * table left out). With `checks`, a line under the table gives, per method, the checks of the
 * default's rule (the runs' `defaultChoiceTable`) it passes, summed over the runs.
 */
export function transferMethodsBlock(
  dirs: readonly URL[],
  methods: readonly string[],
  options: { checks?: boolean } = {},
): string {
  const rows: string[][] = [];
  const lines: string[] = [];
  for (const dir of dirs) {
    lines.push(`- ${provenanceLine(readProvenance(dir))}`);
    for (const table of readSummaryCsv(dir)) {
      const match = table.title.match(/^(?:[\w-]+: )?mean normalised regret, /);
      if (!match || table.title.endsWith("all families")) continue;
      const cells = methods.map((m) => {
        const r = table.records.find((r) => r.method === m);
        return r ? ["@10", "@25", "@50"].map((k) => regretText(r[k])).join(" / ") : "–";
      });
      rows.push([problemSetOf(table.title, match[0]), ...cells]);
    }
  }
  const table = markdownTable(["problems", ...methods.map((m) => `\`${m}\``)], rows);
  if (!options.checks) return [...lines, "", table].join("\n");
  const passed = methods.map((m) => {
    let got = 0, of = 0;
    for (const dir of dirs) {
      const choice = readSummaryCsv(dir).find((t) =>
        /^(?:[\w-]+: )?choice of the default strategy/.test(t.title)
      );
      const record = choice?.records.find((r) => r.strategy === m);
      const [a, b] = String(record?.["checks passed"] ?? "").split("/").map(Number);
      if (Number.isFinite(a) && Number.isFinite(b)) {
        got += a;
        of += b;
      }
    }
    return of > 0 ? `\`${m}\` ${got} of ${of}` : `\`${m}\` –`;
  });
  return [
    ...lines,
    "",
    table,
    "",
    `Checks of the default's rule passed (\`defaultChoiceTable\`, summed over the runs): ${
      passed.join(", ")
    }.`,
  ].join("\n");
}

/**
 * The random forest's cost from the rf suite's "Cost of the random forest" table of each committed
 * run in `dirs` (median milliseconds; the GP beside it where the suite measured it), one column
 * per run, with each run's provenance line first.
 */
export function rfCostBlock(dirs: readonly URL[]): string {
  const tables = dirs.map((dir) =>
    summaryTable(readSummaryCsv(dir), "rf: Cost of the random forest")
  );
  const ms = (v: string | number | undefined) =>
    typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : "–";
  const measurements = tables[0].records.map((r) => String(r.measurement));
  const rows = measurements.map((m) => [
    m,
    ...tables.flatMap((t) => {
      const r = t.records.find((r) => r.measurement === m);
      return [ms(r?.["rf-smbo ms"]), ms(r?.["gp ms"]), ms(r?.["rf / gp"])];
    }),
  ]);
  return [
    ...dirs.map((dir, i) => `- run ${i + 1}: ${provenanceLine(readProvenance(dir))}`),
    "",
    markdownTable(
      [
        "median ms",
        ...dirs.flatMap((
          _,
          i,
        ) => [`forest (run ${i + 1})`, `GP (run ${i + 1})`, `forest / GP (run ${i + 1})`]),
      ],
      rows,
    ),
  ].join("\n");
}

/**
 * The default bench's last committed run (`results/bench/provenance.json`): its provenance and
 * how many suites ended ok.
 */
export function benchRunBlock(dir: URL = new URL("bench/", RESULTS)): string {
  const p = readProvenance(dir);
  const suites = p.suites ?? [];
  const failed = suites.filter((s) => s.status !== "ok").map((s) => `${s.suite} (${s.status})`);
  return `${provenanceLine(p)}; ${suites.length} suites, ${
    failed.length === 0 ? "all ok" : `not ok: ${failed.join(", ")}`
  }.`;
}

/** The `value` of the row of a `task,method,metric,value` table whose task and method match. */
function taskValue(
  table: SummaryCsvTable,
  task: string | RegExp,
  method: string | RegExp,
): number | undefined {
  const matches = (pattern: string | RegExp, text: unknown) =>
    typeof pattern === "string" ? text === pattern : pattern.test(String(text));
  const found = table.records.find((r) => matches(task, r.task) && matches(method, r.method));
  return typeof found?.value === "number" ? found.value : undefined;
}

/** A measured value with its unit, 3 significant digits; "–" where the run has none. */
function measured(value: number | undefined, unit: string): string {
  return value === undefined ? "–" : `${significantText(value)} ${unit}`;
}

/** A ratio for the speed tables: 3 significant digits. */
function ratioText(value: number | undefined): string {
  return value === undefined ? "–" : Number(value.toPrecision(3)).toString();
}

/**
 * The perf suite's figures (GP fit beside scikit-learn, one ask, meta-features, one HPO
 * evaluation, the meta-dataset build) from the "perf: Performance" table of a committed run.
 */
export function perfBlock(dir: URL = new URL("bench/", RESULTS)): string {
  const table = summaryTable(readSummaryCsv(dir), "perf: Performance");
  const v = (task: string | RegExp, method: string | RegExp) => taskValue(table, task, method);
  const fit = v("gp-fit n=200 d=6", "metahpo");
  const sklearn = v("gp-fit n=200 d=6", "sklearn");
  const ask = v("ask n=100 d=6", "metahpo");
  const features = v("metafeatures 5000x20", "metahpo");
  const datasets = v("deno task datasets", "metahpo");
  const rows = [
    [
      "GP fit, n = 200, d = 6, Matérn-5/2 ARD, 5 restarts",
      measured(fit, "s"),
      sklearn === undefined ? "–" : `scikit-learn ${measured(sklearn, "s")}`,
      `${ratioText(v("gp-fit n=200 d=6", "sklearn / metahpo"))}× faster`,
    ],
    [
      "one `ask` at n = 100, d = 6 (median)",
      measured(ask, "ms"),
      "target 150 ms",
      `${ratioText(v("ask n=100 d=6", /^target/))}× under`,
    ],
    [
      "all meta-features, 5,000 × 20 table",
      measured(features === undefined ? undefined : features / 1000, "s"),
      "target 2 s",
      `${ratioText(v("metafeatures 5000x20", /^target/))}× under`,
    ],
    [
      "one HPO evaluation, MLP on mnist (wasm / cpu)",
      `${measured(v("hpo mlp mnist", "metahpo (wasm)"), "s")} / ${
        measured(v("hpo mlp mnist", "metahpo (cpu)"), "s")
      }`,
      "",
      "",
    ],
    [
      "`deno task datasets` (40 tasks × 64 configurations)",
      datasets === undefined ? "–" : `${(datasets / 60).toFixed(1)} min`,
      "budget 30 min",
      "",
    ],
  ];
  return [
    provenanceLine(readProvenance(dir)),
    "",
    markdownTable(["measurement", "metahpo", "reference", "ratio"], rows),
  ].join("\n");
}

/**
 * The storage suite's figures (overhead per trial beside Optuna's RDB storage, worker throughput
 * on SQLite and PostgreSQL, with the GP proposer where measured, a 10,000-trial study) from the
 * "storage: Study storage" table of a committed run; rows the run did not measure are left out.
 */
export function storageBlock(dir: URL = new URL("storage/", RESULTS)): string {
  const table = summaryTable(readSummaryCsv(dir), "storage: Study storage");
  const v = (task: string | RegExp, method: string | RegExp) => taskValue(table, task, method);
  const overhead = /^overhead per trial SQLite/;
  const ours = v(overhead, "metahpo");
  const optuna = table.records.find((r) =>
    overhead.test(String(r.task)) && /^Optuna [\d.]+$/.test(String(r.method))
  );
  const rows: string[][] = [[
    "storage overhead per trial, SQLite (random search)",
    measured(ours, "ms"),
    optuna ? `${optuna.method} RDB on SQLite ${measured(Number(optuna.value), "ms")}` : "–",
    `${ratioText(v(overhead, "Optuna / metahpo"))}× less`,
  ]];
  for (const backend of ["SQLite", "PostgreSQL"]) {
    const task = `throughput ${backend} 200 ms objective`;
    const eight = v(task, "metahpo 8 workers");
    if (eight === undefined) continue;
    rows.push([
      `throughput, 8 workers, 200 ms objective, ${backend}`,
      measured(eight, "trials/s"),
      `1 worker ${measured(v(task, "metahpo 1 workers"), "trials/s")}`,
      `${ratioText(v(task, "metahpo 8 workers / 1 worker"))}× (target 6×)`,
    ]);
  }
  const gp = "throughput SQLite 200 ms objective, GP proposer";
  const gpFour = v(gp, "metahpo 4 workers");
  if (v(gp, "metahpo 8 workers") !== undefined) {
    rows.push([
      "throughput with the GP proposer, 4 / 8 workers, SQLite",
      `${gpFour === undefined ? "–" : significantText(gpFour)} / ${
        measured(v(gp, "metahpo 8 workers"), "trials/s")
      }`,
      `1 worker ${measured(v(gp, "metahpo 1 workers"), "trials/s")}`,
      `${ratioText(v(gp, "metahpo 4 workers / 1 worker"))}× / ${
        ratioText(v(gp, "metahpo 8 workers / 1 worker"))
      }×`,
    ]);
  }
  const load = v("10,000-trial study SQLite", "metahpo loadStudy");
  rows.push([
    "`loadStudy` of a 10,000-trial SQLite study",
    measured(load, "s"),
    "target 1 s",
    `${ratioText(v("10,000-trial study SQLite", /^target/))}× under`,
  ]);
  const askTell = "ask+tell, random search, SQLite";
  rows.push([
    "ask + tell (random search) at 10,000 vs 100 stored trials",
    `${measured(v(askTell, "metahpo at 10,000 trials"), "ms")} vs ${
      measured(v(askTell, "metahpo at 100 trials"), "ms")
    }`,
    "",
    ratioText(v(askTell, "10,000 / 100 trials")),
  ]);
  return [
    provenanceLine(readProvenance(dir)),
    "",
    markdownTable(["measurement", "metahpo", "reference", "ratio"], rows),
  ].join("\n");
}

/** The first table of a committed markdown output (e.g. `bench/side_by_side.ts`'s), verbatim. */
export function markdownTableBlock(file: URL): string {
  const lines = Deno.readTextFileSync(file).split("\n");
  const start = lines.findIndex((l) => l.startsWith("|"));
  if (start < 0) throw new Error(`${file.pathname}: no table`);
  let end = start;
  while (end < lines.length && lines[end].startsWith("|")) end++;
  return lines.slice(start, end).join("\n");
}

/**
 * The side-by-side table of `bench/side_by_side.ts` (its first table, verbatim) and a sentence
 * built from its ratio columns: for each function ours against the better of the BoTorch
 * variants that ran on it, and the largest ratio against Optuna's TPE.
 */
export function sideBySideBlock(file: URL): string {
  const table = markdownTableBlock(file);
  const [header, , ...body] = table.split("\n").map((line) =>
    line.trim().split("|").slice(1, -1).map((c) => c.trim())
  );
  const column = (name: string) => header.indexOf(name);
  const ratio = (cells: string[], name: string) => {
    const i = column(name);
    const v = i < 0 ? NaN : Number(cells[i]);
    return Number.isFinite(v) ? v : undefined;
  };
  const botorch: string[] = [];
  let worstTpe: { fn: string; value: number } | undefined;
  for (const cells of body) {
    const fn = cells[0];
    const ratios = ["ours / botorch-logei", "ours / botorch-ei"]
      .map((name) => ratio(cells, name)).filter((v): v is number => v !== undefined);
    // The better variant has the lower regret, so ours / it is the larger ratio.
    if (ratios.length > 0) botorch.push(`${fn} ${significantText(Math.max(...ratios))}`);
    const tpe = ratio(cells, "ours / optuna-tpe");
    if (tpe !== undefined && (!worstTpe || tpe > worstTpe.value)) worstTpe = { fn, value: tpe };
  }
  const sentences: string[] = [];
  if (botorch.length > 0) {
    sentences.push(
      `Ours against the better BoTorch variant (ratio of median regrets): ${botorch.join(", ")}.`,
    );
  }
  if (worstTpe) {
    sentences.push(
      `Against TPE the largest ratio is ${significantText(worstTpe.value)} (${worstTpe.fn}).`,
    );
  }
  return [table, "", sentences.join(" ")].join("\n");
}

/** Every README block by name. */
export function readmeBlocks(): Record<string, string> {
  // The runs on the PMLB models added after the default transfer strategy was chosen.
  const heldOut = ["knn", "krr", "tree", "gbt"].map((m) => new URL(`transfer_full/${m}/`, RESULTS));
  // The runs on scikit-learn's tables (bench/transfer_tabular.ts), whose titles have no suite.
  const sklearn = ["svm", "glmnet"].map((m) => new URL(`transfer_full/sklearn/${m}/`, RESULTS));
  return {
    "bench-run": benchRunBlock(),
    "smbo-side-by-side": sideBySideBlock(
      new URL("ablation/side_by_side_current-default.md", RESULTS),
    ),
    "perf": perfBlock(),
    "storage": storageBlock(),
    "maml-full": mamlFullBlock(),
    "maml-fomaml-seeds": mamlSeedsBlock(),
    "maml-quick": mamlQuickBlock(),
    "maml-speed": mamlSpeedBlock(),
    "comparison-full": comparisonBlock(new URL("comparison_full/", RESULTS)),
    "comparison-full-notes": notesBlock(new URL("comparison_full/", RESULTS), "comparison"),
    "comparison-quick": comparisonBlock(new URL("bench/", RESULTS)),
    "fewshot-full": fewshotBlock(
      new URL("fewshot/full/", RESULTS),
      new URL("fewshot/peer/", RESULTS),
    ),
    "fewshot-float64": fewshotArithmeticBlock(
      new URL("fewshot/full/", RESULTS),
      new URL("fewshot/peer/", RESULTS),
      new URL("fewshot/peer64/", RESULTS),
    ),
    "fewshot-speed": fewshotSpeedBlock(),
    "fewshot-length": fewshotLengthBlock(
      {
        ours: new URL("fewshot/full_1000/", RESULTS),
        peer: new URL("fewshot/peer_1000/", RESULTS),
      },
      { ours: new URL("fewshot/full/", RESULTS), peer: new URL("fewshot/peer/", RESULTS) },
    ),
    "fewshot-1000": fewshotPeerBlock(
      new URL("fewshot/full_1000/", RESULTS),
      new URL("fewshot/peer_1000/", RESULTS),
    ),
    "transfer-default": transferDefaultBlock([
      new URL("transfer/", RESULTS),
      new URL("transfer/pmlb/", RESULTS),
    ]),
    "transfer-full": transferDefaultBlock([
      new URL("transfer_full/", RESULTS),
      new URL("transfer_full/pmlb/", RESULTS),
    ]),
    "transfer-full-paired": transferPairedBlock([
      new URL("transfer_full/", RESULTS),
      new URL("transfer_full/pmlb/", RESULTS),
    ]),
    "transfer-full-methods": transferMethodsBlock(
      [new URL("transfer_full/", RESULTS), new URL("transfer_full/pmlb/", RESULTS)],
      ["gp", "portfolio", "warm-start", "rgpe", "tst-r", "rgpe-gp", "ablr-fixed"],
    ),
    "transfer-heldout": transferDefaultBlock(heldOut),
    "transfer-heldout-paired": transferPairedBlock(heldOut),
    "transfer-heldout-methods": transferMethodsBlock(
      heldOut,
      ["gp", "portfolio", "warm-start", "rgpe", "tst-r", "rgpe-gp", "ablr-fixed"],
      { checks: true },
    ),
    "transfer-sklearn": transferDefaultBlock(sklearn),
    "transfer-sklearn-paired": transferPairedBlock(sklearn),
    "transfer-sklearn-methods": transferMethodsBlock(
      sklearn,
      ["gp", "portfolio", "warm-start", "rgpe", "tst-r", "rgpe-gp", "ablr-fixed"],
      { checks: true },
    ),
    "rf-cost": rfCostBlock([new URL("bench/", RESULTS), new URL("rf/full/", RESULTS)]),
    "transfer-ablr": transferMethodsBlock(
      [new URL("transfer/ablr/", RESULTS), new URL("transfer/pmlb/", RESULTS)],
      ["gp", "portfolio", "rgpe-gp", "ablr", "ablr-fixed"],
    ),
    "transfer-ablr-full": transferMethodsBlock(
      [new URL("transfer_full/ablr/", RESULTS), new URL("transfer_full/ablr_pmlb/", RESULTS)],
      ["gp", "portfolio", "rgpe-gp", "ablr", "ablr-fixed"],
      { checks: true },
    ),
    "transfer-fsbo-full": transferMethodsBlock(
      [new URL("transfer_full/fsbo/", RESULTS), new URL("transfer_full/fsbo_pmlb/", RESULTS)],
      ["gp", "portfolio", "rgpe-gp", "fsbo"],
      { checks: true },
    ),
  };
}

// An empty block is the two markers on consecutive lines.
const BLOCK = /<!-- results: ([\w-]+) -->\n([\s\S]*?)\n?<!-- \/results -->/g;

/** The README's blocks as written: name → content. */
export function readmeBlocksIn(readme: string): Record<string, string> {
  return Object.fromEntries([...readme.matchAll(BLOCK)].map((m) => [m[1], m[2]]));
}

/** `readme` with each named block replaced by `blocks[name]` (unknown names left alone). */
export function replaceReadmeBlocks(readme: string, blocks: Record<string, string>): string {
  return readme.replaceAll(
    BLOCK,
    (whole, name: string) =>
      name in blocks ? `<!-- results: ${name} -->\n${blocks[name]}\n<!-- /results -->` : whole,
  );
}

/**
 * Markdown with table padding, separator rows and prose line breaks normalised (what `deno fmt`
 * changes in a block does not change its content).
 */
export function normaliseMarkdown(text: string): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push(paragraph.join(" ").replace(/\s+/g, " ").trim());
    paragraph = [];
  };
  for (const line of text.split("\n")) {
    if (line.trim().startsWith("|")) {
      flush();
      const cells = line.trim().split("|").slice(1, -1).map((c) => c.trim());
      out.push(cells.map((c) => (/^:?-+:?$/.test(c) ? "---" : c)).join("|"));
    } else if (line.trim() === "") flush();
    else paragraph.push(line.trim());
  }
  flush();
  return out.join("\n");
}

/**
 * The names of the blocks whose text in `readme` differs from `blocks` (compared modulo what
 * `deno fmt` changes, {@linkcode normaliseMarkdown}), blocks missing from `readme` included.
 */
export function differingReadmeBlocks(readme: string, blocks: Record<string, string>): string[] {
  const written = readmeBlocksIn(readme);
  return Object.entries(blocks)
    .filter(([name, block]) =>
      !(name in written) || normaliseMarkdown(written[name]) !== normaliseMarkdown(block)
    )
    .map(([name]) => name);
}

/** Runs the command line `args`; returns the exit status (2 for a usage error). */
export function readmeTablesMain(args: readonly string[]): number {
  const modes = args.filter((a) => a === "--write" || a === "--check");
  const unknown = args.filter((a) => a !== "--write" && a !== "--check");
  if (unknown.length > 0 || modes.length > 1) {
    console.error(
      `readme_tables: ${
        unknown.length > 0
          ? `unknown argument ${unknown.join(" ")}`
          : "give one of --write, --check"
      } (usage: bench/readme_tables.ts [--write | --check])`,
    );
    return 2;
  }
  const blocks = readmeBlocks();
  const path = new URL("../README.md", import.meta.url);
  if (modes[0] === "--write") {
    Deno.writeTextFileSync(path, replaceReadmeBlocks(Deno.readTextFileSync(path), blocks));
    console.log(`rewrote ${Object.keys(blocks).join(", ")} in README.md (run deno fmt README.md)`);
  } else if (modes[0] === "--check") {
    const differing = differingReadmeBlocks(Deno.readTextFileSync(path), blocks);
    if (differing.length > 0) {
      console.error(`README.md: blocks differ from the committed results: ${differing.join(", ")}`);
      return 1;
    }
    console.log(`README.md: ${Object.keys(blocks).length} blocks as built`);
  } else {
    for (const [name, block] of Object.entries(blocks)) console.log(`## ${name}\n\n${block}\n`);
  }
  return 0;
}

if (import.meta.main) Deno.exit(readmeTablesMain(Deno.args));
