/**
 * Property-based tests of stored studies through their public API: the random spaces, hostile
 * objectives and ask/tell misuse of tests/smbo/_harness.ts on `memory:` and SQLite storages, with
 * interruptions, resumes and a worker that dies holding a trial (harness in `_properties.ts`).
 * Seeded and small; `METAHPO_FUZZ_RUNS=N` (tests/_property.ts) scales them, and `deno task fuzz`
 * runs them deeply.
 */
import { fc } from "../_fast_check.ts";
import { propertyParams } from "../_property.ts";
import { sameTrials } from "../smbo/_harness.ts";
import { POSTGRES_URL } from "./_backends.ts";
import {
  runStoredAskTellCase,
  runStoredMinimizeCase,
  storedAskTellCaseArb,
  storedMinimizeCaseArb,
} from "./_properties.ts";

Deno.test("stored minimize on random spaces with hostile objectives, interrupted and resumed, keeps every invariant, deterministically", async () => {
  await fc.assert(
    fc.asyncProperty(storedMinimizeCaseArb(6), async (c) => {
      const first = await runStoredMinimizeCase(c);
      sameTrials(first, await runStoredMinimizeCase(c));
    }),
    propertyParams(25),
  );
});

Deno.test("stored ask/tell sessions with batches, pools, enqueue and misuse keep every invariant", async () => {
  await fc.assert(
    fc.asyncProperty(storedAskTellCaseArb(12), async (c) => {
      const first = await runStoredAskTellCase(c);
      sameTrials(first, await runStoredAskTellCase(c));
    }),
    propertyParams(25),
  );
});

Deno.test({
  name: "stored minimize and ask/tell properties on PostgreSQL",
  ignore: POSTGRES_URL === "",
  fn: async () => {
    await fc.assert(
      fc.asyncProperty(storedMinimizeCaseArb(5), async (c) => {
        await runStoredMinimizeCase({ ...c, backend: "postgres" });
      }),
      propertyParams(6),
    );
    await fc.assert(
      fc.asyncProperty(storedAskTellCaseArb(8), async (c) => {
        await runStoredAskTellCase({ ...c, backend: "postgres" });
      }),
      propertyParams(6),
    );
  },
});
