/**
 * A worker of the storage throughput benchmark: random search (or the default GP proposer) on a
 * stored study with an objective that sleeps 200 ms.
 * Usage: `storage_worker.ts <storage url> <study> <budget> [random|gp]`.
 *
 * @module
 */
import { minimize } from "../lib/smbo/minimize.ts";
import { randomSearch } from "../lib/smbo/proposer.ts";
import { defineSpace, float } from "../lib/space/mod.ts";

const [url, study, budget, proposer = "random"] = Deno.args;
const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
const result = await minimize(
  async (p) => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    return p.x + p.y;
  },
  space,
  {
    storage: url,
    study,
    budget: Number(budget),
    // "gp": the default proposer of minimize (GP-BO).
    ...(proposer === "gp" ? {} : { proposer: randomSearch() }),
    leaseSeconds: 30,
  },
);
await result.study.close();
