import assert from "node:assert/strict";

// Users import the library from a URL, without the project's import map or lock file: every
// dependency, data files included, must resolve from full `npm:` specifiers.
Deno.test("lib/data/mod.ts works when imported from a URL", async () => {
  const root = new URL("../../", import.meta.url);
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen: () => {} },
    async (request) => {
      try {
        const body = await Deno.readFile(new URL(`.${new URL(request.url).pathname}`, root));
        return new Response(body, { headers: { "content-type": "application/typescript" } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
  const host = `127.0.0.1:${server.addr.port}`;
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/client.ts`;
    await Deno.writeTextFile(
      script,
      `import { loadBuiltinDataset, tableFromCsv } from "http://${host}/lib/data/mod.ts";
const { table } = await loadBuiltinDataset("cars-mpg");
console.log(table.numRows(), tableFromCsv("a,b\\n1,x\\n").report.columns[1].type);
`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      // Deno caches remote modules by URL, across runs: reload what this server serves.
      args: [
        "run",
        "--no-config",
        "--no-lock",
        `--allow-import=${host}`,
        `--reload=http://${host}`,
        script,
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.ok(output.success, stderr);
    assert.equal(new TextDecoder().decode(output.stdout).trim(), "398 categorical");
  } finally {
    controller.abort();
    await server.finished;
    await Deno.remove(dir, { recursive: true });
  }
});
