import assert from "node:assert/strict";
import {
  defaultChoiceTable,
  defaultVsGpTable,
  familyProblems,
  runTabularTransferBenchmark,
  runTransferBenchmark,
  TRANSFER_FAMILIES,
  transferProblemSet,
} from "../../bench/suites/transfer.ts";
import type { TransferRun } from "../../lib/protocols/leave_one_task_out.ts";

/** A run whose regret is `at10` up to step 10, `at25` up to 25 and `at50` after. */
const run = (
  method: TransferRun["method"],
  problem: string,
  [at10, at25, at50]: [number, number, number],
): TransferRun => ({
  problem,
  method,
  seed: 0,
  seconds: 1,
  regret: Array.from({ length: 50 }, (_, i) => (i < 10 ? at10 : i < 25 ? at25 : at50)),
});

const set = (
  label: string,
  curves: Partial<Record<TransferRun["method"], [number, number, number]>>,
) => ({
  label,
  runs: Object.entries(curves).map(([method, c]) =>
    run(method as TransferRun["method"], label, c!)
  ),
});

Deno.test("defaultChoiceTable: a strategy worse than GP-BO anywhere ranks below one that never is", () => {
  const sets = [
    set("a", {
      gp: [0.2, 0.1, 0.01],
      rgpe: [0.02, 0.05, 0.05], // best early, worse than GP-BO at 50
      "rgpe-gp": [0.05, 0.05, 0.01],
      portfolio: [0.15, 0.1, 0.01],
    }),
    set("b", {
      gp: [0.2, 0.1, 0.01],
      rgpe: [0.02, 0.05, 0.005],
      "rgpe-gp": [0.05, 0.05, 0.005],
      portfolio: [0.15, 0.1, 0.01],
    }),
  ];
  const table = defaultChoiceTable(sets);
  assert.deepEqual(table.map((r) => r.strategy), ["rgpe-gp", "portfolio", "rgpe"]);
  assert.equal(table[0]["checks passed"], "6/6");
  assert.equal(table.find((r) => r.strategy === "rgpe")!.failed, 1);
  assert.ok(Math.abs((table[0]["geomean regret / gp @10"] as number) - 0.25) < 1e-12);
});

Deno.test("defaultChoiceTable: where the portfolio halves GP-BO's regret at 10, so must the default", () => {
  const table = defaultChoiceTable([
    set("a", { gp: [0.2, 0.1, 0.01], portfolio: [0.08, 0.05, 0.01], taf: [0.15, 0.05, 0.01] }),
  ]);
  const taf = table.find((r) => r.strategy === "taf")!;
  assert.equal(taf["checks passed"], "3/4"); // ≤ GP-BO at 10, 25, 50; not ≤ 0.5× at 10
  assert.equal(table[0].strategy, "portfolio");
});

Deno.test("defaultVsGpTable reports the check per step and the best strategy against the portfolio", () => {
  const { runs } = set("a", {
    gp: [0.2, 0.1, 0.01],
    "rgpe-gp": [0.05, 0.2, 0.01],
    portfolio: [0.08, 0.05, 0.02],
  });
  const table = defaultVsGpTable(runs, "rgpe-gp");
  assert.deepEqual(table.map((r) => r.step), [10, 25, 50]);
  assert.deepEqual(table.map((r) => r["default <= gp"]), ["yes", "NO", "yes"]);
  assert.equal(table[0]["needs <= 0.5 gp"], "yes, met");
  assert.equal(table[1]["needs <= 0.5 gp"], "no");
  assert.deepEqual(table.map((r) => r["best strategy"]), ["rgpe-gp", "portfolio", "rgpe-gp"]);
});

Deno.test("defaultVsGpTable and defaultChoiceTable: a budget below 10 evaluations reads 'not checked' with the reason", () => {
  const short = (method: TransferRun["method"]) => ({ ...run(method, "a", [0.2, 0.1, 0.1]) });
  const runs = (["gp", "rgpe-gp", "portfolio"] as const).map((m) => ({
    ...short(m),
    regret: short(m).regret.slice(0, 5),
  }));
  const reason = "not checked: budget 5 < 10, the first checked step";
  const check = defaultVsGpTable(runs, "rgpe-gp");
  assert.equal(check.length, 1);
  assert.equal(check[0]["default <= gp"], reason);
  assert.deepEqual(
    Object.values(check[0]).filter((v) => v !== reason && v !== "rgpe-gp"),
    Array(8).fill("–"),
  );
  const table = defaultChoiceTable([{ label: "a", runs }]);
  assert.deepEqual(table.map((r) => r["checks passed"]), [reason, reason]);
  assert.deepEqual(table.map((r) => r["worst regret / gp"]), ["–", "–"]);
  assert.deepEqual(table.map((r) => r["geomean regret / gp @10"]), ["–", "–"]);
  assert.deepEqual(table.map((r) => r.failed), [0, 0]);
  // Without GP-BO nothing is compared either.
  const noGp = defaultChoiceTable([{ label: "a", runs: set("a", { rgpe: [0.1, 0.1, 0.1] }).runs }]);
  assert.equal(noGp[0]["checks passed"], "not checked: no GP-BO run at a checked step");
});

Deno.test("runTransferBenchmark: the budget is always a recorded step, and no step past it", async () => {
  const stepsOf = async (budget: number) => {
    const { rows, tables } = await runTransferBenchmark({
      families: ["branin"],
      tasks: 3,
      heldOut: 1,
      seeds: 1,
      budget,
      methods: ["random", "gp"],
    });
    const regretSteps = [
      ...new Set(rows.filter((r) => r.metric === "normalized_regret").map((r) => r.step)),
    ];
    return { regretSteps, columns: Object.keys(tables[0].records[0]).slice(1) };
  };
  assert.deepEqual(await stepsOf(12), {
    regretSteps: [1, 5, 10, 12],
    columns: ["@1", "@5", "@10", "@12"],
  });
  assert.deepEqual(await stepsOf(3), { regretSteps: [1, 3], columns: ["@1", "@3"] });
  // A budget on a fixed step records it once.
  assert.deepEqual(await stepsOf(5), { regretSteps: [1, 5], columns: ["@1", "@5"] });
});

Deno.test("transferProblemSet names a row's problem set as the summary tables do", async () => {
  // Function families: the key of TRANSFER_FAMILIES, also where the family's own name differs.
  for (const key of Object.keys(TRANSFER_FAMILIES)) {
    const [problem] = familyProblems(TRANSFER_FAMILIES[key](), { tasks: 1, historySize: 2 });
    assert.equal(transferProblemSet(problem.id), key, problem.id);
  }
  assert.equal(transferProblemSet("log-goldstein-price/0/3"), "goldstein-price");
  assert.equal(transferProblemSet("parabola/0/1"), "parabola");
  // Meta-datasets: the set of the rows' tasks opens the titles of the tables.
  const { rows, tables } = await runTabularTransferBenchmark({
    models: ["mlp"],
    heldOut: 1,
    seeds: 1,
    budget: 1,
    methods: ["random"],
  });
  const sets = [...new Set(rows.map((r) => transferProblemSet(r.task)))];
  assert.deepEqual(sets, ["meta-dataset mlp"]);
  assert.ok(tables[0].title.startsWith("mean normalised regret, meta-dataset mlp ("));
  assert.equal(transferProblemSet("pmlb-linear:adult"), "pmlb meta-dataset linear");
  assert.throws(() => transferProblemSet(3 as never), /transferProblemSet task: must be a string/);
});
