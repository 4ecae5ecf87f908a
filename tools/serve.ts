/**
 * Serves a directory (by default this repository) read-only over HTTP with the content types Deno
 * needs to import from a URL: `.ts` as `application/typescript`, `.js` as `text/javascript`,
 * `.json` as `application/json`; and pages a browser shows (`.html`, `.css`, `.svg`, `.png`, e.g.
 * a benchmark report) as their types. (`python3 -m http.server` sends `.ts` files as
 * `video/mp2t` or `text/vnd.trolltech.linguist`, which Deno refuses to run.)
 *
 * ```sh
 * deno task serve                      # http://127.0.0.1:8000/mod.ts
 * deno task serve --port 9000 --root . # another port or folder
 * # elsewhere, with no configuration file:
 * deno run --allow-import=127.0.0.1:8000 script.ts  # script.ts imports http://127.0.0.1:8000/mod.ts
 * # after the served tree changed, fetch its modules again instead of Deno's cached copies:
 * deno run --allow-import=127.0.0.1:8000 --reload=http://127.0.0.1:8000 script.ts
 * ```
 *
 * GET and HEAD only; no directory listings; nothing outside the root (`..` and symbolic links out
 * of it are refused).
 *
 * @example
 * ```ts ignore
 * import { serveDirectory } from "./serve.ts";
 * const server = serveDirectory({ root: ".", port: 0 });
 * console.log(`http://127.0.0.1:${server.addr.port}/mod.ts`);
 * await server.shutdown();
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { extname, join, normalize, resolve, sep } from "node:path";
import { integerOption, pathOption, resolveGivenPath } from "../lib/cli_paths.ts";

/** Content types by file extension; anything else is `application/octet-stream`. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = Object.freeze({
  ".ts": "application/typescript; charset=utf-8",
  ".mts": "application/typescript; charset=utf-8",
  ".tsx": "text/tsx; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".wasm": "application/wasm",
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
});

/** Options of {@linkcode serveDirectory}. */
export interface ServeOptions {
  /** Folder to serve (default: the repository this file belongs to). */
  root?: string;
  /** Interface to listen on (default `127.0.0.1`). */
  hostname?: string;
  /** Port (default 8000; 0 picks a free one, see `server.addr.port`). */
  port?: number;
  /** Called once listening (default: silent). */
  onListen?: (address: Deno.NetAddr) => void;
}

/** The repository root (the folder above `tools/`). */
export const REPOSITORY_ROOT: string = resolve(new URL("..", import.meta.url).pathname);

/**
 * Serves the files under `root` read-only, with content types Deno accepts for module imports.
 *
 * @example
 * ```ts ignore
 * const server = serveDirectory({ port: 0 });
 * const response = await fetch(`http://127.0.0.1:${server.addr.port}/mod.ts`);
 * response.headers.get("content-type"); // "application/typescript; charset=utf-8"
 * await response.body?.cancel();
 * await server.shutdown();
 * ```
 */
export function serveDirectory(options: ServeOptions = {}): Deno.HttpServer<Deno.NetAddr> {
  const root = resolve(options.root ?? REPOSITORY_ROOT);
  const port = options.port ?? 8000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port: must be an integer in [0, 65535], got ${port}`);
  }
  const realRoot = Deno.realPathSync(root);
  return Deno.serve(
    {
      hostname: options.hostname ?? "127.0.0.1",
      port,
      onListen: options.onListen ?? (() => {}),
    },
    async (request) => {
      if (request.method !== "GET" && request.method !== "HEAD") {
        return new Response("read-only\n", { status: 405, headers: { allow: "GET, HEAD" } });
      }
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(request.url).pathname);
      } catch {
        return new Response("bad path\n", { status: 400 });
      }
      const path = normalize(join(root, pathname));
      if (path !== root && !path.startsWith(root + sep)) {
        return new Response("forbidden\n", { status: 403 });
      }
      try {
        const real = await Deno.realPath(path);
        if (real !== realRoot && !real.startsWith(realRoot + sep)) {
          return new Response("forbidden\n", { status: 403 });
        }
        const info = await Deno.stat(real);
        if (!info.isFile) return new Response("not found\n", { status: 404 });
        const headers = {
          "content-type": CONTENT_TYPES[extname(real)] ?? "application/octet-stream",
          "content-length": String(info.size),
        };
        if (request.method === "HEAD") return new Response(null, { headers });
        return new Response(await Deno.readFile(real), { headers });
      } catch {
        return new Response("not found\n", { status: 404 });
      }
    },
  );
}

const USAGE = "deno task serve [--port 8000] [--hostname 127.0.0.1] [--root DIR]\n" +
  "Serves DIR (default: this repository) read-only for `deno run` URL imports; a relative DIR is\n" +
  "taken from the folder the command was started in (INIT_CWD, when --allow-env grants it).";

/**
 * The options of `deno task serve` in `argv`, checked: `--port` an integer in [0, 65535],
 * `--root` (default {@linkcode REPOSITORY_ROOT}) an existing folder, a relative one taken from the
 * folder the command was started in (`resolveGivenPath`: `initCwd` when set, else `cwd`); or
 * `"help"` for `--help`.
 *
 * @throws {RangeError} or {TypeError} naming the option with a bad value.
 * @example
 * ```ts
 * import { parseServeArgs, REPOSITORY_ROOT } from "./serve.ts";
 * const options = parseServeArgs(["--port", "9000"]);
 * if (options !== "help") console.log(options.root === REPOSITORY_ROOT, options.port); // true 9000
 * ```
 */
export function parseServeArgs(
  argv: readonly string[],
  cwd: string = Deno.cwd(),
  initCwd?: string,
): { root: string; hostname: string; port: number } | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      root: { type: "string" },
      hostname: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8000" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
  const port = integerOption("port", values.port, 0);
  if (port > 65535) {
    throw new RangeError(`--port: expected an integer ≤ 65535, got ${JSON.stringify(values.port)}`);
  }
  if (values.hostname === "") {
    throw new RangeError("--hostname: expected a host, got an empty text");
  }
  const root = values.root === undefined
    ? REPOSITORY_ROOT
    : resolveGivenPath(pathOption("root", values.root), cwd, initCwd);
  let folder = false;
  try {
    folder = Deno.statSync(root).isDirectory;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new RangeError(`--root: cannot read ${root}: ${(error as Error).message}`);
    }
    throw new RangeError(`--root: ${root} does not exist`);
  }
  if (!folder) throw new RangeError(`--root: ${root} is not a folder`);
  return { root, hostname: values.hostname, port };
}

if (import.meta.main) {
  try {
    // INIT_CWD when --allow-env grants it (`deno task serve` does); else the working directory.
    const env = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
    const initCwd = env.state === "granted" ? Deno.env.get("INIT_CWD") : undefined;
    const options = parseServeArgs(Deno.args, Deno.cwd(), initCwd);
    if (options === "help") {
      console.log(USAGE);
    } else {
      serveDirectory({
        ...options,
        onListen: ({ hostname, port }) => {
          console.log(`Serving ${options.root} at http://${hostname}:${port}/`);
          console.log(`  import { minimize } from "http://${hostname}:${port}/mod.ts";`);
          console.log(`  deno run --allow-import=${hostname}:${port} your_script.ts`);
          console.log(`  (after the served files change: --reload=http://${hostname}:${port})`);
        },
      });
    }
  } catch (error) {
    // On one line: node's parseArgs writes some of its errors on several.
    console.error(`serve: ${(error as Error).message.replaceAll("\n", " ")}`);
    Deno.exit(2);
  }
}
