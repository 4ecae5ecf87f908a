/**
 * The runs whose proposals `tests/fixtures/bayes_opt_resume.json` records (written by
 * `tests/fixtures/gen_bayes_opt_resume.ts`): the default GP proposer on a three-parameter mixed
 * space, in memory and on a stored SQLite study, uninterrupted. The in-memory runs were recorded
 * from the code before stored studies kept the GP's warm-start state; the stored ones were
 * recorded again when stored studies began drawing each proposal's random numbers as `SMBO` does,
 * and equal the in-memory ones. The tests check that the code reproduces them exactly and that
 * interrupted and resumed stored studies propose the same.
 *
 * @module
 */
import { minimize } from "../../lib/smbo/minimize.ts";
import { createStudy } from "../../lib/storage/study.ts";
import { defineSpace, float, int } from "../../lib/space/mod.ts";
import type { Trial } from "../../lib/smbo/trial.ts";

/** The space: a float, a log-scaled float and an integer (a design of 7 points). */
export const RESUME_SPACE = defineSpace({
  x: float(-2, 2),
  lr: float(1e-4, 1, { log: true }),
  n: int(1, 16),
});

/** A configuration of {@linkcode RESUME_SPACE}. */
export type ResumeParams = { x: number; lr: number; n: number };

/** A smooth objective with its minimum inside the space. */
export function resumeObjective(p: ResumeParams): number {
  return (p.x - 0.3) ** 2 + (Math.log10(p.lr) + 2) ** 2 / 4 + ((p.n - 5) / 4) ** 2 +
    0.1 * Math.sin(3 * p.x);
}

/** Evaluations of every recorded run. */
export const RESUME_BUDGET = 14;

/** Seeds of the recorded runs. */
export const RESUME_SEEDS = [0, 1] as const;

/** What the fixture keeps of a trial. */
export interface RecordedTrial {
  /** The configuration. */
  params: ResumeParams;
  /** Its value. */
  value: number;
  /** How it was chosen. */
  source: string;
}

/** The recorded part of trials, by id. */
export function recordTrials(trials: readonly Trial<ResumeParams>[]): RecordedTrial[] {
  return [...trials].sort((a, b) => a.id - b.id).map((t) => ({
    params: { ...t.params },
    value: t.value!,
    source: t.source,
  }));
}

/** A fresh SQLite storage URL and its cleanup. */
export async function tempSqlite(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const path = await Deno.makeTempFile({ suffix: ".db" });
  return {
    url: `sqlite:${path}`,
    cleanup: async () => {
      for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(path + suffix).catch(() => {});
    },
  };
}

/** In-memory `minimize` with the default GP. */
export async function memoryRun(seed: number): Promise<RecordedTrial[]> {
  const result = await minimize(resumeObjective, RESUME_SPACE, { budget: RESUME_BUDGET, seed });
  return recordTrials(result.trials);
}

/** Stored (SQLite) `minimize` with the default GP, uninterrupted. */
export async function storedRun(seed: number): Promise<RecordedTrial[]> {
  const { url, cleanup } = await tempSqlite();
  try {
    const result = await minimize(resumeObjective, RESUME_SPACE, {
      budget: RESUME_BUDGET,
      seed,
      storage: url,
      study: "resume",
    });
    const trials = recordTrials(result.trials as Trial<ResumeParams>[]);
    await result.study.close();
    return trials;
  } finally {
    await cleanup();
  }
}

/** A stored (SQLite) study driven by ask/tell with the default GP, uninterrupted. */
export async function askTellRun(seed: number): Promise<RecordedTrial[]> {
  const { url, cleanup } = await tempSqlite();
  try {
    const study = await createStudy({ storage: url, name: "resume", space: RESUME_SPACE, seed });
    for (let i = 0; i < RESUME_BUDGET; i++) {
      const trial = await study.ask();
      await study.tell(trial, resumeObjective(trial.params));
    }
    const trials = recordTrials(study.trials);
    await study.close();
    return trials;
  } finally {
    await cleanup();
  }
}

/** The fixture's content. */
export interface ResumeFixture {
  /** How the runs were made. */
  description: string;
  /** In-memory `minimize`, by seed. */
  memory: Record<string, RecordedTrial[]>;
  /** Stored SQLite `minimize`, by seed. */
  stored: Record<string, RecordedTrial[]>;
  /** Stored SQLite ask/tell, by seed. */
  askTell: Record<string, RecordedTrial[]>;
}

/** Runs every recorded run. */
export async function recordResumeFixture(): Promise<ResumeFixture> {
  const fixture: ResumeFixture = {
    description: "Default GP proposer on RESUME_SPACE (tests/smbo/_resume_cases.ts), " +
      `${RESUME_BUDGET} evaluations, uninterrupted; memory recorded before stored studies kept ` +
      "the warm-start state, stored and askTell re-recorded when stored studies began drawing " +
      "each proposal's random numbers as SMBO does (they equal memory) " +
      "(tests/fixtures/gen_bayes_opt_resume.ts)",
    memory: {},
    stored: {},
    askTell: {},
  };
  for (const seed of RESUME_SEEDS) {
    fixture.memory[seed] = await memoryRun(seed);
    fixture.stored[seed] = await storedRun(seed);
    fixture.askTell[seed] = await askTellRun(seed);
  }
  return fixture;
}
