/**
 * Where the commands of this repository (`deno task bench`, `deno task studies`) take relative
 * paths given on their command line from: the folder the command was started in. `deno task`
 * runs every task in the project root and passes that folder as `INIT_CWD`; a script run directly
 * (`deno run`) has it as its working directory.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";

/**
 * The folder the command was started in: `initCwd` (what `deno task` passes as `INIT_CWD`) when
 * it is an absolute path, else `cwd` (the working directory).
 *
 * @example
 * ```ts
 * import { startDir } from "./cli_paths.ts";
 * startDir("/repo", "/repo/lib"); // "/repo/lib"
 * startDir("/repo", undefined); // "/repo"
 * ```
 */
export function startDir(cwd: string, initCwd?: string): string {
  return initCwd && isAbsolute(initCwd) ? initCwd : cwd;
}

/**
 * A path given on the command line, made absolute against the folder the command was started in
 * ({@linkcode startDir}); an absolute path is returned as it is (normalised).
 *
 * @example
 * ```ts
 * import { resolveGivenPath } from "./cli_paths.ts";
 * resolveGivenPath("runs/a", "/repo", "/repo/lib"); // "/repo/lib/runs/a"
 * resolveGivenPath("/data/x.csv", "/repo", "/repo/lib"); // "/data/x.csv"
 * ```
 */
export function resolveGivenPath(path: string, cwd: string, initCwd?: string): string {
  return resolve(startDir(cwd, initCwd), path);
}
