/**
 * Which studies are finished, hence experience (`priorTasksFromStorage`): a complete trial and no
 * trial running under a live lease. A running trial whose worker stopped heart-beating for the
 * study's `leaseSeconds` counts as lost, so a study whose process was killed and never resumed is
 * experience (its complete trials) once its lease has passed, and not a dead trial's hostage.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { priorTasksFromStorage } from "../../lib/storage/experience.ts";
import { transferOptionsFromStorage } from "../../lib/meta/transfer.ts";
import { randomSearch } from "../../lib/smbo/proposer.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { createStudy } from "../../lib/storage/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

const space = defineSpace({ x: float(0, 1) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

storageTest(
  "a study whose worker stopped heart-beating is experience once its lease has passed",
  async (backend) => {
    await withStorage(backend, async (storage) => {
      const live = await createStudy({ storage, name: "live", space, proposer: randomSearch() });
      const gone = await createStudy({
        storage,
        name: "gone",
        space,
        proposer: randomSearch(),
        leaseSeconds: 0.8,
        heartbeatSeconds: 0.05,
      });
      try {
        for (const study of [live, gone]) {
          for (let i = 0; i < 3; i++) await study.tell(await study.ask(), i);
          await study.ask(); // running: its worker heart-beats
        }
        await sleep(1000);
        // Both still beat: neither is finished.
        assert.deepEqual(await priorTasksFromStorage(storage, space), []);
        await gone.close(); // its worker stops beating, as a killed process does
        assert.deepEqual(await priorTasksFromStorage(storage, space), [], "within the lease");
        await sleep(1000);
        const tasks = await priorTasksFromStorage(storage, space);
        assert.deepEqual(tasks.map((t) => [t.id, t.trials.length]), [["gone", 3]]);
      } finally {
        await live.close();
        await gone.close();
      }
    });
  },
);

Deno.test("a study killed by SIGKILL and never resumed is experience once its lease has passed (sqlite)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const url = `sqlite:${join(dir, "tune.db")}`;
    const script = join(dir, "killed.ts");
    const minimizeModule = new URL("../../lib/smbo/minimize.ts", import.meta.url).href;
    const spaceModule = new URL("../../lib/space/mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { minimize } from ${JSON.stringify(minimizeModule)};\n` +
        `import { defineSpace, float } from ${JSON.stringify(spaceModule)};\n` +
        `await minimize((p, trial) => {\n` +
        `  if (trial.id === 4) Deno.kill(Deno.pid, "SIGKILL");\n` +
        `  return (p.x - 0.8) ** 2;\n` +
        `}, defineSpace({ x: float(0, 1) }), {\n` +
        `  storage: ${JSON.stringify(url)}, study: "dataset-A", budget: 10, seed: 0,\n` +
        `  leaseSeconds: 2, metaFeatures: { n: 1 },\n` +
        `});\n`,
    );
    const child = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        "--config",
        repo("deno.json"),
        "--frozen",
        `--lock=${repo("deno.lock")}`,
        script,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(child.signal, "SIGKILL", new TextDecoder().decode(child.stderr));
    // Its trial 4 still runs as stored, its lease not yet passed: not finished.
    assert.deepEqual(await priorTasksFromStorage(url, space), []);
    await sleep(2500);
    const tasks = await priorTasksFromStorage(url, space);
    assert.deepEqual(tasks.map((t) => [t.id, t.trials.length]), [["dataset-A", 4]]);
    assert.deepEqual(tasks[0].metaFeatures, { n: 1 });
    const setup = await transferOptionsFromStorage(url, space, { strategy: "warm-start" });
    assert.equal(setup.initialConfigurations.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A file of the repository (its configuration and lock file, for the child process). */
function repo(file: string): string {
  return new URL(`../../${file}`, import.meta.url).pathname;
}
