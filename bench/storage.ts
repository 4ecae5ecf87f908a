/**
 * Measurements of the study storage: overhead per trial (stored vs in-memory ask/tell), worker
 * throughput on one study, and the cost of loading and asking in a large study.
 *
 * @module
 */
import { SMBO } from "../lib/smbo/study.ts";
import { randomSearch } from "../lib/smbo/proposer.ts";
import { median } from "../lib/stats/mod.ts";
import { createStudy, loadStudy, openStorage, runWorkers } from "../lib/storage/mod.ts";
import { categorical, defineSpace, float, int } from "../lib/space/mod.ts";

const space = defineSpace({
  x: float(-3, 3),
  y: float(1e-3, 10, { log: true }),
  k: int(0, 1000),
  c: categorical(["red", "green", "blue"]),
});
type P = { x: number; y: number; k: number; c: string };
const objective = (p: P) => (p.x - 0.5) ** 2 + p.y + p.k / 1000 + p.c.length;

async function tempPath(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "metahpo-bench-storage-" });
  return `${dir}/study.db`;
}

/** Seconds per trial of random-search ask/tell in memory and on `url`, and their difference. */
export async function storageOverhead(
  url: string,
  trials: number,
): Promise<{ memory: number; stored: number; overhead: number }> {
  const memoryStudy = new SMBO(space, { seed: 0, proposer: randomSearch() });
  let start = performance.now();
  for (let i = 0; i < trials; i++) {
    const t = memoryStudy.ask();
    memoryStudy.tell(t, objective(t.params));
  }
  const memory = (performance.now() - start) / 1000 / trials;
  const study = await createStudy({
    storage: url,
    name: "overhead",
    space,
    proposer: randomSearch(),
  });
  start = performance.now();
  for (let i = 0; i < trials; i++) {
    const t = await study.ask();
    await study.tell(t, objective(t.params));
  }
  const stored = (performance.now() - start) / 1000 / trials;
  await study.close();
  return { memory, stored, overhead: stored - memory };
}

/** SQLite overhead per trial on a fresh temporary file. */
export async function sqliteOverhead(trials: number) {
  const path = await tempPath();
  try {
    return await storageOverhead(`sqlite:${path}`, trials);
  } finally {
    await Deno.remove(path.replace(/\/study\.db$/, ""), { recursive: true });
  }
}

/**
 * Trials per second of `workers` processes on one study (objective: 200 ms sleep; random search
 * or the default GP proposer), measured from the first trial's start to the last one's end.
 */
export async function workerThroughput(
  url: string,
  study: string,
  workers: number,
  budget: number,
  proposer: "random" | "gp" = "random",
): Promise<{ trialsPerSecond: number; complete: number }> {
  const exits = await runWorkers(new URL("./storage_worker.ts", import.meta.url), {
    workers,
    args: [url, study, String(budget), proposer],
    permissions: ["--allow-read", "--allow-write", "--allow-env", "--allow-net", "--allow-sys"],
    inheritOutput: false,
  });
  if (exits.some((e) => e.code !== 0)) throw new Error(`storage bench: a worker failed`);
  const stored = await loadStudy({ storage: url, name: study });
  const trials = stored.storedTrials.filter((t) => t.status === "complete");
  await stored.close();
  const first = Math.min(...trials.map((t) => t.startedAt!));
  const last = Math.max(...trials.map((t) => t.finishedAt!));
  return { trialsPerSecond: trials.length / ((last - first) / 1000), complete: trials.length };
}

/**
 * A study of `n` trials on SQLite: seconds to load it, and the median milliseconds of one
 * random-search ask + tell at 100 trials and at `n` trials.
 */
export async function largeStudy(n: number): Promise<{
  loadSeconds: number;
  askMsSmall: number;
  askMsLarge: number;
  buildSeconds: number;
}> {
  const path = await tempPath();
  const url = `sqlite:${path}`;
  const askTell = async (study: Awaited<ReturnType<typeof createStudy<P>>>, count: number) => {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      const t = await study.ask();
      await study.tell(t, objective(t.params));
      times.push(performance.now() - start);
    }
    return times;
  };
  try {
    const storage = await openStorage(url);
    const study = await createStudy<P>({ storage, name: "large", space, proposer: randomSearch() });
    const build = performance.now();
    await askTell(study, 100);
    const askMsSmall = median(await askTell(study, 50));
    await askTell(study, n - 150 - 50);
    const buildSeconds = (performance.now() - build) / 1000;
    await study.close();
    await storage.close();
    const start = performance.now();
    const loaded = await loadStudy<P>({ storage: url, name: "large", proposer: randomSearch() });
    const loadSeconds = (performance.now() - start) / 1000;
    if (loaded.trials.length < n - 50) throw new Error("storage bench: large study incomplete");
    const askMsLarge = median(await askTell(loaded, 50));
    await loaded.close();
    return { loadSeconds, askMsSmall, askMsLarge, buildSeconds };
  } finally {
    await Deno.remove(path.replace(/\/study\.db$/, ""), { recursive: true });
  }
}
