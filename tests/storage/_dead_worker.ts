/**
 * A worker id of this host whose process has exited, for the tests of trials given up at once
 * (a claim recognises a dead local worker by its pid).
 *
 * @module
 */

let deadPid: number | undefined;

/** The id of a worker of this host whose process has exited (its trials are given up at once). */
export async function deadWorker(): Promise<string> {
  if (deadPid === undefined) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", ""],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await child.status;
    deadPid = child.pid;
  }
  return `${Deno.hostname()}/${deadPid}/orphan`;
}
