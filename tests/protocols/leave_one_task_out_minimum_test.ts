import assert from "node:assert/strict";
import { leaveOneTaskOut } from "../../lib/protocols/leave_one_task_out.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1) });
const problem = (c: number, minimum = 0) => ({
  id: `c${c}`,
  space,
  objective: (p: { x: number }) => (p.x - c) ** 2,
  history: [0.1, 0.5, 0.9].map((x) => ({ params: { x }, value: (x - c) ** 2 })),
  minimum,
  maximum: 1,
});

Deno.test("leaveOneTaskOut records a run whose objective goes below the problem's minimum as failed, naming problems[i].minimum", async () => {
  const runs = await leaveOneTaskOut([problem(0.3), problem(0.5, 0.2)], {
    methods: ["random"],
    seeds: 1,
    budget: 4,
    recordTrials: true,
  });
  assert.equal(runs[0].status, "ok");
  const wrong = runs[1];
  assert.equal(wrong.status, "failed");
  assert.deepEqual(wrong.regret, []);
  assert.match(
    wrong.error!,
    /^problems\[1\]\.minimum \(0\.2\) is above the value [0-9.e-]+ of evaluation \d: the regret cannot be normalised/,
  );
  assert.equal(wrong.trials!.length, 4);
});

Deno.test("leaveOneTaskOut: a value below the minimum by round-off only counts as regret 0", async () => {
  const exact = { ...problem(0.5, 0), objective: (p: { x: number }) => (p.x - 0.5) ** 2 - 1e-12 };
  const runs = await leaveOneTaskOut([problem(0.3), exact], {
    methods: ["random"],
    seeds: 1,
    budget: 3,
    heldOut: ["c0.5"],
  });
  assert.equal(runs[0].status, "ok");
});
