/** `deno task fuzz`'s command line: --help, bad values named by their flag, --out from the start folder. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { denoRun } from "../_deno_run.ts";

const SCRIPT = new URL("./smbo_fuzz.ts", import.meta.url).pathname;
const FLAGS = ["--allow-read", "--allow-write", "--allow-env", "--allow-run", "--allow-sys"];
const fuzz = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  denoRun(["run", ...FLAGS, SCRIPT, ...args], options);

Deno.test("deno task fuzz: --help lists the options; a bad value is one line naming its flag, exit 2", async () => {
  const help = await fuzz(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: deno task fuzz .*\n[^]*--stored-runs N/);
  const cases: [string[], string][] = [
    [["--stored-runs", "abc"], '--stored-runs: expected an integer ≥ 0, got "abc"'],
    [["--max-budget", "2.5"], '--max-budget: expected an integer ≥ 0, got "2.5"'],
    [["--max-actions=-1"], '--max-actions: expected an integer ≥ 0, got "-1"'],
    [["--runs", ""], '--runs: expected an integer ≥ 0, got ""'],
    [["--seed", "x"], '--seed: expected an integer ≥ 0, got "x"'],
    [["--out="], "--out: expected a path, got an empty text"],
    [["--bogus"], "Unknown option '--bogus'"],
  ];
  for (const [args, message] of cases) {
    const run = await fuzz(args);
    assert.deepEqual(
      { code: run.code, stdout: run.stdout, stderr: run.stderr },
      { code: 2, stdout: "", stderr: `fuzz: ${message}\n` },
      args.join(" "),
    );
  }
  const env = await fuzz([], { env: { FUZZ_RUNS: "many" } });
  assert.equal(env.stderr, 'fuzz: FUZZ_RUNS: expected an integer ≥ 0, got "many"\n');
  assert.equal(env.code, 2);
});

Deno.test("deno task fuzz --out: a relative path is taken from the folder the command was started in", async () => {
  const started = await Deno.realPath(await Deno.makeTempDir());
  const cwd = await Deno.realPath(await Deno.makeTempDir());
  try {
    const run = await fuzz(["--runs", "0", "--stored-runs", "0", "--out", "sub/fz.json"], {
      cwd,
      env: { INIT_CWD: started },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(started, "sub", "fz.json")));
    assert.ok(!existsSync(join(cwd, "sub")));
    const written = JSON.parse(await Deno.readTextFile(join(started, "sub", "fz.json")));
    assert.deepEqual(written.settings, {
      runs: 0,
      storedRuns: 0,
      seed: 1,
      maxBudget: 14,
      maxActions: 24,
    });
    assert.equal(
      written.provenance.command,
      "deno task fuzz --runs 0 --stored-runs 0 --out sub/fz.json",
    );
  } finally {
    await Deno.remove(started, { recursive: true });
    await Deno.remove(cwd, { recursive: true });
  }
});
