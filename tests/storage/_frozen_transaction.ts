/**
 * A process that stops itself (SIGSTOP) inside a write transaction of the PostgreSQL driver,
 * holding the row lock of a study as every write to it does, for the tests of a frozen worker:
 * its first attempt stops after taking the lock; once continued (SIGCONT), the transaction goes on
 * (or, ended by the server meanwhile, runs again), and the process prints how many attempts it
 * took.
 *
 * Usage: `_frozen_transaction.ts <postgres url> <study id> <idle-in-transaction seconds>`
 *
 * @module
 */
import { openPostgres } from "../../lib/storage/postgres.ts";

const [url, idText, idleText] = Deno.args;
const id = Number(idText);
const driver = await openPostgres(url, "frozen", {
  idleInTransactionTimeoutSeconds: Number(idleText),
});
let attempts = 0;
await driver.transaction(async (tx) => {
  attempts++;
  await tx.query("SELECT seq FROM metahpo_studies WHERE id = ? FOR UPDATE", [id]);
  if (attempts === 1) Deno.kill(Deno.pid, "SIGSTOP");
  await tx.query("UPDATE metahpo_studies SET seq = seq + 1 WHERE id = ?", [id]);
});
console.log(`attempts ${attempts}`);
await driver.close();
