/**
 * A worker process of the fault tests: runs `minimize` on a stored study with random search and
 * a fast objective, logs every trial it told, and, when asked to, kills itself with SIGKILL at
 * random instants (right after claiming a trial, inside the objective, right after telling).
 *
 * Usage: `_worker.ts <storage url> <study> <budget> <log file> <die probability> <seed> [requeue]`
 *
 * @module
 */
import { minimize } from "../../lib/smbo/minimize.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { Rng } from "../../lib/random/rng.ts";
import { openStorage, type Storage } from "../../lib/storage/mod.ts";
import { faultObjective, faultSpace } from "./_fault_task.ts";

const [url, study, budgetText, log, dieText, seedText, requeue] = Deno.args;
const die = Number(dieText);
const rng = new Rng(Number(seedText));
const maybeDie = () => {
  if (die > 0 && rng.uniform() < die) Deno.kill(Deno.pid, "SIGKILL");
};

const inner = await openStorage(url);
// The storage, with a chance of dying right after a claim or a tell has committed.
const storage: Storage = new Proxy(inner, {
  get(target, key, receiver) {
    const value = Reflect.get(target, key, receiver);
    if (typeof value !== "function") return value;
    if (key === "claim" || key === "finish") {
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        maybeDie();
        return result;
      };
    }
    return value.bind(target);
  },
});

const result = await minimize(
  async (params) => {
    await new Promise((resolve) => setTimeout(resolve, 2 + rng.uniform() * 20));
    maybeDie();
    return faultObjective(params);
  },
  faultSpace,
  {
    storage,
    study,
    budget: Number(budgetText),
    seed: 11,
    proposer: randomSearch(),
    leaseSeconds: 2,
    requeue: requeue === "requeue",
    onTrial: (trial) => {
      Deno.writeTextFileSync(log, `${trial.id} ${trial.value}\n`, { append: true });
    },
  },
);
await result.study.close();
await inner.close();
