/**
 * Import from URL: the repository is served read-only on 127.0.0.1 (`tools/serve.ts`, the server of
 * `deno task serve`) and a separate Deno process,
 * with no configuration file and therefore none of the project's import map, imports
 * `http://127.0.0.1:PORT/mod.ts` and runs a small `minimize`. Every module the library needs must
 * resolve for such a URL importer (full `npm:` specifiers, no bare names). The visualisation
 * module is imported the same way, including its lazily loaded plotly.js bundle.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { serveDirectory } from "../tools/serve.ts";

/** The repository, read-only, on `port` (default: a free one; the server of `deno task serve`). */
function serveRepository(port = 0): Deno.HttpServer<Deno.NetAddr> {
  return serveDirectory({ port });
}

async function runRemote(port: number, code: string) {
  // Outside the repository, so that nothing of the project's configuration is found; removed
  // afterwards.
  const cwd = mkdtempSync(join(tmpdir(), "url-import-"));
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      // Deno caches remote modules by URL, across runs: a port that served another version of
      // the tree before would otherwise give those stale modules.
      args: [
        "run",
        "--no-config",
        "--no-lock",
        `--allow-import=127.0.0.1:${port}`,
        `--reload=http://127.0.0.1:${port}`,
        "-",
      ],
      cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = output.stdin.getWriter();
    await writer.write(new TextEncoder().encode(code));
    await writer.close();
    const { code: exit, stdout, stderr } = await output.output();
    return {
      exit,
      stdout: new TextDecoder().decode(stdout),
      stderr: new TextDecoder().decode(stderr),
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

Deno.test("a URL importer without the import map runs minimize from mod.ts", async () => {
  const server = serveRepository();
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const result = await runRemote(
      server.addr.port,
      `import { defineSpace, float, minimize } from "${base}/mod.ts";
const space = defineSpace({ x: float(-2, 2) });
const result = await minimize((p) => (p.x - 0.5) ** 2, space, { budget: 15, seed: 0 });
console.log(JSON.stringify({ x: result.best.params.x, value: result.best.value, trials: result.trials.length }));
`,
    );
    assert.equal(result.exit, 0, result.stderr);
    const line = result.stdout.trim().split("\n").at(-1)!;
    const { x, value, trials } = JSON.parse(line);
    assert.equal(trials, 15);
    assert.ok(Math.abs(x - 0.5) < 0.05, `best x = ${x}`);
    assert.ok(value < 2.5e-3 && value === (x - 0.5) ** 2, `best value = ${value}`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a URL importer builds figures and loads the plotly bundle from lib/viz", async () => {
  const server = serveRepository();
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const result = await runRemote(
      server.addr.port,
      `import { plotlyLoaderHtml, regretCurveFigure } from "${base}/lib/viz/mod.ts";
const rows = [0, 1, 2, 3, 4, 5].map((seed) => ({
  suite: "s", task: "t", method: "m", seed, step: 1, metric: "regret", value: seed + 1,
}));
const figure = regretCurveFigure(rows, { task: "t" });
console.log(JSON.stringify({ traces: figure.data.length, loader: (await plotlyLoaderHtml()).length }));
`,
    );
    assert.equal(result.exit, 0, result.stderr);
    const { traces, loader } = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
    assert.equal(traces, 2);
    assert.ok(loader > 4_000_000, `loader is ${loader} characters`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a URL importer gets the tree served now, not what Deno cached from that address before", async () => {
  // Another tree served earlier on the same address (an older checkout, for instance) leaves its
  // modules in Deno's cache, which outlives the server.
  const decoy = mkdtempSync(join(tmpdir(), "url-import-decoy-"));
  let port: number;
  try {
    Deno.writeTextFileSync(join(decoy, "mod.ts"), `export const tree = "decoy";\n`);
    const old = serveDirectory({ port: 0, root: decoy });
    port = old.addr.port;
    try {
      const first = await runRemote(
        port,
        `import * as lib from "http://127.0.0.1:${port}/mod.ts";\nconsole.log(Object.keys(lib).join());`,
      );
      assert.equal(first.exit, 0, first.stderr);
      assert.equal(first.stdout.trim(), "tree");
    } finally {
      await old.shutdown();
    }
  } finally {
    rmSync(decoy, { recursive: true, force: true });
  }
  const server = serveRepository(port);
  try {
    const result = await runRemote(
      port,
      `import * as lib from "http://127.0.0.1:${port}/mod.ts";
console.log(JSON.stringify({ tree: "tree" in lib, minimize: typeof lib.minimize }));
`,
    );
    assert.equal(result.exit, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout.trim().split("\n").at(-1)!), {
      tree: false,
      minimize: "function",
    });
  } finally {
    await server.shutdown();
  }
});
