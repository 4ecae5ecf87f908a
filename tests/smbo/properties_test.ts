/**
 * Property-based tests of the optimiser through its public API: random spaces × hostile
 * objectives × minimize / ask-tell / batches / pool mode / enqueue / misuse of tell (generators
 * and invariants in `_harness.ts`). Seeded and small so that they stay fast
 * (`METAHPO_FUZZ_RUNS` and `METAHPO_FUZZ_SEED` change the run counts and the seed, see
 * `tests/_property.ts`); `deno task fuzz` runs the same properties deeply.
 */
import { fc } from "../_fast_check.ts";
import { propertyParams } from "../_property.ts";
import {
  askTellCaseArb,
  minimizeCaseArb,
  runAskTellCase,
  runMinimizeCase,
  sameTrials,
} from "./_harness.ts";

Deno.test("minimize on random spaces with hostile objectives keeps every invariant, deterministically", async () => {
  await fc.assert(
    fc.asyncProperty(minimizeCaseArb(6), async (c) => {
      const first = await runMinimizeCase(c);
      sameTrials(first, await runMinimizeCase(c));
    }),
    propertyParams(60),
  );
});

Deno.test("ask/tell sessions with batches, pools, enqueue and misuse keep every invariant", async () => {
  await fc.assert(
    fc.asyncProperty(askTellCaseArb(14), async (c) => {
      const first = await runAskTellCase(c);
      sameTrials(first, await runAskTellCase(c));
    }),
    propertyParams(80, 7),
  );
});
