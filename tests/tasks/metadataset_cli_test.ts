/** `deno task datasets`: a relative --out given on the command line is taken from the start folder. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { resolveOutOption } from "../../lib/tasks/metadataset/cli.ts";
import { denoRun } from "../_deno_run.ts";

Deno.test("resolveOutOption: the task's default --out from the project root, the user's from the start folder", () => {
  const task = ["--out", "datasets/metadataset"];
  assert.equal(
    resolveOutOption(task, "datasets/metadataset", "/repo", "/home/me"),
    "/repo/datasets/metadataset",
  );
  assert.equal(
    resolveOutOption([...task, "--out", "gen"], "gen", "/repo", "/home/me"),
    "/home/me/gen",
  );
  assert.equal(
    resolveOutOption([...task, "--out=gen"], "gen", "/repo", "/home/me"),
    "/home/me/gen",
  );
  assert.equal(resolveOutOption([...task, "--out", "/abs"], "/abs", "/repo", "/home/me"), "/abs");
  // Run directly: the one --out given, from the working directory.
  assert.equal(resolveOutOption(["--out", "gen"], "gen", "/here"), "/here/gen");
});

Deno.test("deno task datasets --out: written under the folder the command was started in", async () => {
  const started = await Deno.realPath(await Deno.makeTempDir());
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    const script = new URL("../../lib/tasks/metadataset/generate.ts", import.meta.url).pathname;
    // As deno.json's task runs it: in the project root, its default --out first.
    const run = await denoRun([
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      script,
      "--out",
      "datasets/metadataset",
      ...["--datasets", "iris", "--design", "2", "--variants", "0", "--max-rows", "20"],
      ...["--backend", "cpu", "--out", "gen"],
    ], { cwd: root, env: { INIT_CWD: started } });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(started, "gen", "metadataset.json")));
    assert.deepEqual(await Array.fromAsync(Deno.readDir(root)), []);
    assert.equal(JSON.parse(run.stdout).out, join(started, "gen"));
  } finally {
    await Deno.remove(started, { recursive: true });
    await Deno.remove(root, { recursive: true });
  }
});
