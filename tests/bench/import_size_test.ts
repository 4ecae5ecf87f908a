/** `deno task import-size`'s command line: a bad --top is named; a failing --ref leaves no folder. */
import assert from "node:assert/strict";
import { denoRun } from "../_deno_run.ts";

const SCRIPT = new URL("../../bench/import_size.ts", import.meta.url).pathname;
const FLAGS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-net=127.0.0.1",
];

Deno.test("deno task import-size: a bad --top is one line naming it, exit 2", async () => {
  for (const top of ["abc", "", "1.5", "-1"]) {
    const run = await denoRun(["run", ...FLAGS, SCRIPT, `--top=${top}`]);
    assert.deepEqual(
      { code: run.code, stdout: run.stdout, stderr: run.stderr },
      {
        code: 2,
        stdout: "",
        stderr: `import-size: --top: expected an integer ≥ 0, got ${JSON.stringify(top)}\n`,
      },
    );
  }
});

Deno.test("deno task import-size --ref: a revision git cannot archive is an error, and no temporary folder is left", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const run = await denoRun(["run", ...FLAGS, SCRIPT, "--ref", "no-such-revision"], {
      env: { TMPDIR: tmp },
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^import-size: git archive .*no-such-revision/);
    assert.doesNotMatch(run.stderr, /^\s+at /m);
    assert.equal(run.stdout, "");
    assert.deepEqual(await Array.fromAsync(Deno.readDir(tmp)), []);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
