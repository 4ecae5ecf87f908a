import assert from "node:assert/strict";
import { runSyntheticBenchmark, SYNTHETIC_METHODS } from "../../lib/protocols/synthetic.ts";
import { getSyntheticFunction } from "../../lib/tasks/synthetic/mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";

Deno.test("runSyntheticBenchmark: each seed's regret is the best so far of its own run", async () => {
  const rows = await runSyntheticBenchmark({
    functions: ["branin"],
    methods: ["random"],
    seeds: 2,
    budget: 5,
  });
  assert.deepEqual([...new Set(rows.map((r) => r.seed))], [0, 1]);
  const fn = getSyntheticFunction("branin");
  const run = await minimize((p) => fn.evaluate(fn.space.encode(p)), fn.space, {
    budget: 5,
    seed: 1,
    proposer: randomSearch(),
  });
  let best = Infinity;
  const expected = run.trials.map((t) => (best = Math.min(best, t.value!)) - fn.minimum);
  const regret = rows.filter((r) => r.seed === 1 && r.metric === "regret");
  assert.deepEqual(regret.map((r) => r.step), [1, 2, 3, 4, 5]);
  assert.deepEqual(regret.map((r) => r.value), expected);
  assert.ok(rows.some((r) => r.seed === 1 && r.metric === "seconds_per_trial" && r.step === 5));
});

Deno.test("runSyntheticBenchmark: bad options are refused before any run, naming the field", async () => {
  const good = { functions: ["branin"], methods: ["random"], seeds: 1, budget: 3 };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ seeds: 2.5 }, /^runSyntheticBenchmark\.options\.seeds: must be a positive integer$/],
    [{ seeds: -1 }, /^runSyntheticBenchmark\.options\.seeds: must be a positive integer$/],
    [{ seeds: 0 }, /^runSyntheticBenchmark\.options\.seeds: must be a positive integer$/],
    [{ seeds: NaN }, /^runSyntheticBenchmark\.options\.seeds: /],
    [{ budget: 0 }, /^runSyntheticBenchmark\.options\.budget: must be a positive integer$/],
    [{ budget: 2.5 }, /^runSyntheticBenchmark\.options\.budget: must be a positive integer$/],
    [{ methods: [] }, /^runSyntheticBenchmark\.options\.methods: must name at least one method$/],
    [
      { methods: ["random", "gp-lgei"] },
      /^runSyntheticBenchmark\.options\.methods\[1\]: must be one of "gp-logei"/,
    ],
    [
      { functions: [] },
      /^runSyntheticBenchmark\.options\.functions: must name at least one function$/,
    ],
    [{ onProgress: 1 }, /^runSyntheticBenchmark\.options\.onProgress: must be a function$/],
    [{ seed: 3 }, /^runSyntheticBenchmark\.options\.seed: unknown key$/],
  ];
  for (const [bad, message] of cases) {
    let progressed = 0;
    await assert.rejects(
      () =>
        runSyntheticBenchmark(
          {
            ...good,
            onProgress: () => progressed++,
            ...bad,
          } as unknown as Parameters<typeof runSyntheticBenchmark>[0],
        ),
      (error: Error) => error instanceof TypeError && message.test(error.message),
      JSON.stringify(bad),
    );
    assert.equal(progressed, 0);
  }
  await assert.rejects(
    () => runSyntheticBenchmark({ ...good, functions: ["branin", "branim"] }),
    {
      name: "RangeError",
      message:
        /^runSyntheticBenchmark\.options\.functions\[1\]: unknown function "branim"; known: /,
    },
  );
  assert.ok(Object.keys(SYNTHETIC_METHODS).includes("random"));
});
