import assert from "node:assert/strict";
import {
  leaveOneTaskOut,
  normalizedRegretCurve,
  tabularProblems,
} from "../../lib/protocols/leave_one_task_out.ts";
import { PreparedPrior } from "../../lib/meta/transfer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1, { step: 0.25 }) });
const grid = [0, 0.25, 0.5, 0.75, 1].map((x) => ({ x }));
const table = (id: string, c: number | null) => ({
  id,
  rows: grid.map((params) => ({ params, value: c === null ? null : (params.x - c) ** 2 })),
  metaFeatures: { c: c ?? 0 },
});

Deno.test("tabularProblems and leaveOneTaskOut refuse an id given twice, a task without any value included", async () => {
  // The repeat has no finite value: its history is empty, it is no past task, but it still runs
  // under its id (and would be held out by it, dropping the other task of that id).
  assert.throws(
    () => tabularProblems(space, [table("iris", 0.2), table("wine", 0.7), table("iris", null)]),
    {
      name: "TypeError",
      message: 'tabularProblems tasks[2].id: duplicate id "iris" (also tasks[0])',
    },
  );
  const problems = tabularProblems(space, [table("a", 0.2), table("b", 0.7)]);
  const empty = { ...problems[0], history: [] };
  await assert.rejects(
    () => leaveOneTaskOut([...problems, empty], { methods: ["random"], seeds: 1, budget: 2 }),
    /^RangeError: leaveOneTaskOut problems\[2\]\.id: duplicate id "a" \(also problems\[0\]\)$/,
  );
  // An empty history first: the later task is the repeat.
  await assert.rejects(
    () => leaveOneTaskOut([empty, ...problems], { methods: ["random"], seeds: 1, budget: 2 }),
    /^RangeError: leaveOneTaskOut problems\[1\]\.id: duplicate id "a" \(also problems\[0\]\)$/,
  );
});

Deno.test("leaveOneTaskOut: a prior with the problems' trials but other meta-features is refused", async () => {
  const problems = tabularProblems(space, [table("a", 0.2), table("b", 0.5), table("c", 0.7)]);
  const prior = (metaFeatures: (i: number) => Record<string, number> | undefined) =>
    PreparedPrior.from(
      problems.map((p, i) => ({ id: p.id, trials: p.history, metaFeatures: metaFeatures(i) })),
      space,
    );
  const options = { methods: ["warm-start" as const], seeds: 1, budget: 2 };
  // The problems' own meta-features: accepted, and the runs are those without a prior.
  const same = await leaveOneTaskOut(problems, {
    ...options,
    prior: prior((i) => problems[i].metaFeatures),
  });
  const without = await leaveOneTaskOut(problems, options);
  assert.deepEqual(same.map((r) => r.regret), without.map((r) => r.regret));
  // Swapped between tasks, or left out: refused, naming the task.
  await assert.rejects(
    () =>
      leaveOneTaskOut(problems, { ...options, prior: prior((i) => problems[2 - i].metaFeatures) }),
    /options\.prior: task "a" holds other meta-features than the problem's/,
  );
  await assert.rejects(
    () => leaveOneTaskOut(problems, { ...options, prior: prior(() => undefined) }),
    /options\.prior: task "a" holds other meta-features than the problem's/,
  );
});

Deno.test("normalizedRegretCurve: clipped to [0, 1], so a value above an estimated maximum counts as a failure", () => {
  // The maximum may be an estimate (a dense search's largest value): a value above it, like a
  // failure, is regret 1, and the curve never rises.
  assert.deepEqual(normalizedRegretCurve({ minimum: 0, maximum: 2 }, [NaN, 3, 1]), [1, 1, 0.5]);
  assert.deepEqual(normalizedRegretCurve({ minimum: 0, maximum: 2 }, [3, Infinity, 2.5, 1]), [
    1,
    1,
    1,
    0.5,
  ]);
  assert.deepEqual(normalizedRegretCurve({ minimum: 0, maximum: 2 }, [4, 2, 1.5, -1e-12]), [
    1,
    1,
    0.75,
    0,
  ]);
});
