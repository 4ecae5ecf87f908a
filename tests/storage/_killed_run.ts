/**
 * A stored `minimize` of the resume runs (`tests/smbo/_resume_cases.ts`: the default GP, budget
 * 14) that kills its own process with SIGKILL while it evaluates trial `<kill at>`, for the tests
 * of rerunning a study after a crash.
 *
 * Usage: `_killed_run.ts <storage url> <seed> <kill at>`
 *
 * @module
 */
import { minimize } from "../../lib/smbo/minimize.ts";
import { RESUME_BUDGET, RESUME_SPACE, resumeObjective } from "../smbo/_resume_cases.ts";

const [url, seedText, killAtText] = Deno.args;
const result = await minimize(
  (params, trial) => {
    if (trial.id === Number(killAtText)) Deno.kill(Deno.pid, "SIGKILL");
    return resumeObjective(params);
  },
  RESUME_SPACE,
  { storage: url, study: "resume", seed: Number(seedText), budget: RESUME_BUDGET },
);
await result.study.close();
