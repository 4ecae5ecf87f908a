/**
 * What a URL importer downloads: serves the repository (or a git revision of it) on 127.0.0.1,
 * runs a small script that imports one entry point over the URL in a separate Deno process with a
 * fresh, empty `DENO_DIR` and no configuration file, and reports the bytes of that `DENO_DIR`
 * afterwards (`du -sb`), with the npm packages it holds.
 *
 * ```sh
 * deno task import-size                      # mod.ts, a minimize-only script
 * deno task import-size --ref 39d7357        # the same at another git revision (git archive)
 * deno task import-size --entry mod.ts --entry lib/smbo/mod.ts --json
 * ```
 *
 * Needs the npm registry. The default script calls only `minimize` from `mod.ts`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { integerOption, pathOption } from "../lib/cli_paths.ts";
import { REPOSITORY_ROOT, serveDirectory } from "../tools/serve.ts";

/** One npm package found in the `DENO_DIR`. */
export interface PackageSize {
  /** Package name and version (`name@version`). */
  package: string;
  /** Apparent bytes of its files. */
  bytes: number;
}

/** Result of {@linkcode measureImportSize}. */
export interface ImportSize {
  /** The entry point imported over the URL. */
  entry: string;
  /** The git revision or folder served (`working tree` when neither). */
  revision: string;
  /** Bytes of the `DENO_DIR` after the run (`du -sb`): downloads and Deno's derived caches. */
  bytes: number;
  /** Bytes of what was fetched: the npm packages (`npm/`) and the served modules (`remote/`). */
  downloaded: number;
  /** npm packages in the `DENO_DIR`, largest first. */
  packages: PackageSize[];
  /** What the script printed (its last line). */
  output: string;
}

/** Options of {@linkcode measureImportSize}. */
export interface ImportSizeOptions {
  /** Entry point relative to the repository (default `mod.ts`). */
  entry?: string;
  /** Git revision to serve instead of the working tree. */
  ref?: string;
  /** A folder to serve instead of the repository (ignored with `ref`). */
  root?: string;
  /** Keep the temporary `DENO_DIR` (and checkout) for inspection. */
  keep?: boolean;
}

/** The script run for `mod.ts`: `minimize` only. */
export function minimizeScript(url: string): string {
  return `import { defineSpace, float, minimize } from "${url}";
const space = defineSpace({ x: float(-2, 2) });
const result = await minimize((p) => (p.x - 0.5) ** 2, space, { budget: 8, seed: 0 });
console.log(JSON.stringify({ trials: result.trials.length, best: result.best.value }));
`;
}

/** The script run for any other entry point: import it and count its exports. */
export function importScript(url: string): string {
  return `import * as entry from "${url}";
console.log(JSON.stringify({ exports: Object.keys(entry).length }));
`;
}

async function run(command: string, args: string[], options: Deno.CommandOptions = {}) {
  const output = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
    ...options,
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  if (output.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${output.code}:\n${stderr}\n${stdout}`);
  }
  return stdout;
}

/** Apparent bytes of every file under `path` (symbolic links not followed). */
async function treeBytes(path: string): Promise<number> {
  let bytes = 0;
  for await (const entry of Deno.readDir(path)) {
    const child = join(path, entry.name);
    if (entry.isDirectory) bytes += await treeBytes(child);
    else bytes += (await Deno.lstat(child)).size;
  }
  return bytes;
}

/** npm packages under `<DENO_DIR>/npm/<registry>/`, as `name@version` with their bytes. */
async function npmPackages(denoDir: string): Promise<PackageSize[]> {
  const packages: PackageSize[] = [];
  const npm = join(denoDir, "npm");
  const list = async function* (path: string) {
    try {
      for await (const entry of Deno.readDir(path)) if (entry.isDirectory) yield entry.name;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  };
  for await (const registry of list(npm)) {
    for await (const name of list(join(npm, registry))) {
      const names = name.startsWith("@")
        ? await Array.fromAsync(list(join(npm, registry, name)), (inner) => `${name}/${inner}`)
        : [name];
      for (const packageName of names) {
        for await (const version of list(join(npm, registry, packageName))) {
          const bytes = await treeBytes(join(npm, registry, packageName, version));
          packages.push({ package: `${packageName}@${version}`, bytes });
        }
      }
    }
  }
  return packages.sort((a, b) => b.bytes - a.bytes);
}

/** `du -sb` of a folder, or the sum of apparent file sizes where `du` is missing. */
async function diskUsage(path: string): Promise<number> {
  try {
    await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
  try {
    const line = await run("du", ["-sb", path]);
    return Number(line.split(/\s/)[0]);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return await treeBytes(path);
  }
}

/**
 * Serves the repository on 127.0.0.1, imports `entry` over the URL from a fresh `DENO_DIR` in a
 * separate process without configuration, and measures what was downloaded.
 */
export async function measureImportSize(options: ImportSizeOptions = {}): Promise<ImportSize> {
  const entry = options.entry ?? "mod.ts";
  const temporary: string[] = [];
  let server: Deno.HttpServer<Deno.NetAddr> | undefined;
  // Every temporary folder is removed (or kept with `keep`) however the run ends, a failing
  // `git archive` of `ref` included.
  try {
    let root = options.root ?? REPOSITORY_ROOT;
    if (options.ref !== undefined) {
      root = await Deno.makeTempDir({ prefix: "metahpo-import-size-tree-" });
      temporary.push(root);
      const archive = join(root, ".archive.tar");
      await run("git", ["archive", "--format=tar", "-o", archive, options.ref], {
        cwd: REPOSITORY_ROOT,
      });
      await run("tar", ["-xf", archive, "-C", root]);
      await Deno.remove(archive);
    }
    const denoDir = await Deno.makeTempDir({ prefix: "metahpo-import-size-deno-dir-" });
    temporary.push(denoDir);
    const cwd = await Deno.makeTempDir({ prefix: "metahpo-import-size-cwd-" });
    temporary.push(cwd);
    server = serveDirectory({ root, port: 0 });
    const port = server.addr.port;
    const url = `http://127.0.0.1:${port}/${entry}`;
    const script = entry === "mod.ts" ? minimizeScript(url) : importScript(url);
    await Deno.writeTextFile(join(cwd, "script.ts"), script);
    const stdout = await run(
      Deno.execPath(),
      ["run", "--no-config", "--no-lock", `--allow-import=127.0.0.1:${port}`, "script.ts"],
      { cwd, env: { DENO_DIR: denoDir, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } },
    );
    return {
      entry,
      revision: options.ref ?? (options.root === undefined ? "working tree" : options.root),
      bytes: await diskUsage(denoDir),
      downloaded: await diskUsage(join(denoDir, "npm")) + await diskUsage(join(denoDir, "remote")),
      packages: await npmPackages(denoDir),
      output: stdout.trim().split("\n").at(-1) ?? "",
    };
  } finally {
    await server?.shutdown();
    if (options.keep) console.error(`kept: ${temporary.join(" ")}`);
    else for (const path of temporary) await Deno.remove(path, { recursive: true });
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The options of `deno task import-size`, checked (`--top` an integer ≥ 0); `"help"` for `--help`. */
export function parseImportSizeArgs(argv: readonly string[]):
  | {
    entries: string[];
    ref?: string;
    root?: string;
    json: boolean;
    keep: boolean;
    top: number;
  }
  | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      entry: { type: "string", multiple: true, default: ["mod.ts"] },
      ref: { type: "string" },
      root: { type: "string" },
      json: { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      top: { type: "string", default: "10" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
  return {
    entries: values.entry.map((e) => pathOption("entry", e)),
    ref: values.ref,
    root: values.root === undefined ? undefined : pathOption("root", values.root),
    json: values.json,
    keep: values.keep,
    top: integerOption("top", values.top, 0),
  };
}

if (import.meta.main) {
  let options: ReturnType<typeof parseImportSizeArgs>;
  try {
    options = parseImportSizeArgs(Deno.args);
  } catch (error) {
    // On one line: node's parseArgs writes some of its errors on several.
    console.error(`import-size: ${(error as Error).message.replaceAll("\n", " ")}`);
    Deno.exit(2);
  }
  if (options === "help") {
    console.log(
      "deno task import-size [--entry mod.ts ...] [--ref GIT_REF | --root DIR] [--json] [--keep]\n" +
        "  [--top 10]\n" +
        "Bytes a URL importer of each ENTRY downloads into a fresh DENO_DIR (du -sb).",
    );
    Deno.exit(0);
  }
  const results: ImportSize[] = [];
  try {
    for (const entry of options.entries) {
      results.push(
        await measureImportSize({
          entry,
          ref: options.ref,
          root: options.root,
          keep: options.keep,
        }),
      );
    }
  } catch (error) {
    console.error(`import-size: ${(error as Error).message.trim()}`);
    Deno.exit(1);
  }
  if (options.json) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    for (const result of results) {
      console.log(
        `${result.entry} (${result.revision}): DENO_DIR ${result.bytes} bytes ` +
          `(${megabytes(result.bytes)}, du -sb), of which downloaded (npm/ + remote/) ` +
          `${result.downloaded} bytes (${megabytes(result.downloaded)}), ` +
          `${result.packages.length} npm packages; the script printed ${result.output}`,
      );
      const top = options.top;
      for (const { package: name, bytes } of result.packages.slice(0, top)) {
        console.log(`  ${megabytes(bytes).padStart(9)}  ${name}`);
      }
      const rest = result.packages.slice(top);
      if (rest.length > 0) {
        const bytes = rest.reduce((sum, p) => sum + p.bytes, 0);
        console.log(`  ${megabytes(bytes).padStart(9)}  ${rest.length} other packages`);
      }
    }
  }
}
