/** `deno task serve`'s command line: bad values named by their flag, --root from the start folder. */
import assert from "node:assert/strict";
import { parseServeArgs, REPOSITORY_ROOT } from "../../tools/serve.ts";
import { denoRun } from "../_deno_run.ts";

const SCRIPT = new URL("../../tools/serve.ts", import.meta.url).pathname;

Deno.test("deno task serve: a bad --port or --root is one line naming the flag, exit 2", async () => {
  const cases: [string[], string][] = [
    [["--port", "abc"], '--port: expected an integer ≥ 0, got "abc"'],
    [["--port", "70000"], '--port: expected an integer ≤ 65535, got "70000"'],
    [["--root", "/nonexistent/metahpo"], "--root: /nonexistent/metahpo does not exist"],
    [["--root", SCRIPT], `--root: ${SCRIPT} is not a folder`],
    [["--bogus"], "Unknown option '--bogus'"],
  ];
  for (const [args, message] of cases) {
    const run = await denoRun(["run", "--allow-read", "--allow-net=127.0.0.1", SCRIPT, ...args]);
    assert.deepEqual(
      { code: run.code, stdout: run.stdout, stderr: run.stderr },
      { code: 2, stdout: "", stderr: `serve: ${message}\n` },
      args.join(" "),
    );
  }
});

Deno.test("parseServeArgs: a relative --root is taken from the folder the command was started in", async () => {
  const started = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${started}/site`);
    assert.deepEqual(parseServeArgs(["--root", "site"], REPOSITORY_ROOT, started), {
      root: `${started}/site`,
      hostname: "127.0.0.1",
      port: 8000,
    });
    assert.equal(
      (parseServeArgs(["--root", "."], started) as { root: string }).root,
      started,
    );
    assert.deepEqual(parseServeArgs([], "/elsewhere", started), {
      root: REPOSITORY_ROOT,
      hostname: "127.0.0.1",
      port: 8000,
    });
    assert.throws(
      () => parseServeArgs(["--root", "site"], started, `${started}/nope`),
      { message: `--root: ${started}/nope/site does not exist` },
    );
  } finally {
    await Deno.remove(started, { recursive: true });
  }
});
