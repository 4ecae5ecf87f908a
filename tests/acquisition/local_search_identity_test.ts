import assert from "node:assert/strict";
import { FIXTURE, type Outcome, runAll } from "./_local_search_cases.ts";

const recorded: Record<string, Outcome> = JSON.parse(await Deno.readTextFile(FIXTURE));

Deno.test("localSearch proposes bit for bit the recorded points (direct calls, Thompson, studies)", () => {
  const now = runAll();
  assert.deepEqual(Object.keys(now).sort(), Object.keys(recorded).sort());
  for (const [name, outcome] of Object.entries(recorded)) {
    assert.deepEqual(now[name], outcome, name);
  }
});
