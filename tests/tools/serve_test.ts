import assert from "node:assert/strict";
import { CONTENT_TYPES, REPOSITORY_ROOT, serveDirectory } from "../../tools/serve.ts";

/** Status of a GET sent as raw HTTP/1.1, so that no client normalises `..` in the path. */
async function rawStatus(base: string, path: string): Promise<number> {
  const port = Number(new URL(base).port);
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
    await connection.write(new TextEncoder().encode(request));
    const buffer = new Uint8Array(256);
    const read = await connection.read(buffer);
    const line = new TextDecoder().decode(buffer.subarray(0, read ?? 0)).split("\r\n")[0];
    return Number(line.split(" ")[1]);
  } finally {
    connection.close();
  }
}

async function withServer(test: (base: string) => Promise<void>, root?: string) {
  const server = serveDirectory({ port: 0, root });
  try {
    await test(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

Deno.test("serveDirectory sends .ts as TypeScript and the file's bytes", async () => {
  await withServer(async (base) => {
    const response = await fetch(`${base}/mod.ts`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), CONTENT_TYPES[".ts"]);
    assert.equal(await response.text(), await Deno.readTextFile(`${REPOSITORY_ROOT}/mod.ts`));
    const json = await fetch(`${base}/deno.json`);
    assert.equal(json.headers.get("content-type"), "application/json; charset=utf-8");
    await json.body?.cancel();
    const head = await fetch(`${base}/mod.ts`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(
      Number(head.headers.get("content-length")),
      (await Deno.stat(`${REPOSITORY_ROOT}/mod.ts`)).size,
    );
  });
});

Deno.test("serveDirectory refuses writes, directories, missing files and paths outside the root", async () => {
  const root = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/sub`);
    await Deno.writeTextFile(`${root}/sub/a.ts`, "export const a = 1;\n");
    await Deno.writeTextFile(`${outside}/secret.ts`, "export const secret = 1;\n");
    await Deno.symlink(`${outside}/secret.ts`, `${root}/link.ts`);
    await withServer(async (base) => {
      const status = async (path: string, init?: RequestInit) => {
        const response = await fetch(`${base}${path}`, init);
        await response.body?.cancel();
        return response.status;
      };
      assert.equal(await status("/sub/a.ts"), 200);
      assert.equal(await status("/sub/a.ts", { method: "POST", body: "x" }), 405);
      assert.equal(await status("/sub"), 404);
      assert.equal(await status("/"), 404);
      assert.equal(await status("/missing.ts"), 404);
      // URL parsing drops `..` segments; an encoded slash would bring them back after decoding.
      assert.equal(await rawStatus(base, "/../../etc/hostname"), 404);
      const name = outside.split("/").at(-1);
      assert.equal(await status(`/..%2F${name}%2Fsecret.ts`), 403);
      assert.equal(await status("/sub/..%2F..%2F..%2Fetc%2Fhostname"), 403);
      assert.equal(await status("/link.ts"), 403);
      assert.equal(await status("/%E0%A4%A"), 400);
    }, root);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("serveDirectory rejects a bad port with a message naming it", () => {
  assert.throws(() => serveDirectory({ port: 70000 }), /port: must be an integer in \[0, 65535\]/);
  assert.throws(() => serveDirectory({ port: 1.5 }), /port: /);
});

Deno.test("serveDirectory sends pages a browser shows with their content types", async () => {
  const root = await Deno.makeTempDir();
  try {
    const files: Record<string, string> = {
      "report.html": "text/html; charset=utf-8",
      "app.js": "text/javascript; charset=utf-8",
      "style.css": "text/css; charset=utf-8",
      "data.json": "application/json; charset=utf-8",
      "figure.svg": "image/svg+xml",
      "shot.png": "image/png",
      "blob.bin": "application/octet-stream",
    };
    for (const name of Object.keys(files)) await Deno.writeTextFile(`${root}/${name}`, "x");
    await withServer(async (base) => {
      for (const [name, type] of Object.entries(files)) {
        const response = await fetch(`${base}/${name}`);
        await response.body?.cancel();
        assert.equal(response.headers.get("content-type"), type, name);
      }
    }, root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
