/**
 * What the commands of this repository (`deno task bench`, `deno task studies`, `deno task
 * datasets`, `deno task datasets:pmlb`) share about their command line: where they take relative
 * paths from (the folder the command was started in: `deno task` runs every task in the project
 * root and passes that folder as `INIT_CWD`; a script run directly (`deno run`) has it as its
 * working directory), and option values checked as written, so that a bad value is a one-line
 * error naming the option, what it takes and what it got.
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

/**
 * The integer written in `text`, the value of option `--flag`: decimal digits with an optional
 * leading `-` (not `""`, `1.5`, `1e3`, `0x10` or `abc`), a safe integer, at least `min`. (A
 * negative value is written `--flag=-1`: `--flag -1` reads `-1` as an option.)
 *
 * @throws {RangeError} `--flag: expected an integer ≥ min, got "text"`.
 * @example
 * ```ts
 * import { integerOption } from "./cli_paths.ts";
 * integerOption("design", "64", 1); // 64
 * integerOption("seed", "-3"); // -3
 * try {
 *   integerOption("design", "abc", 1);
 * } catch (error) {
 *   console.log((error as RangeError).message); // --design: expected an integer ≥ 1, got "abc"
 * }
 * ```
 */
export function integerOption(
  flag: string,
  text: string,
  min: number = Number.MIN_SAFE_INTEGER,
): number {
  const value = Number(text);
  if (!/^-?[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    const wanted = min > Number.MIN_SAFE_INTEGER ? `an integer ≥ ${min}` : "an integer";
    throw new RangeError(`--${flag}: expected ${wanted}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * The value of option `--flag` when it is one of `allowed`.
 *
 * @throws {RangeError} `--flag: expected one of a, b, got "text"`.
 * @example
 * ```ts
 * import { choiceOption } from "./cli_paths.ts";
 * choiceOption("backend", "wasm", ["cpu", "wasm"] as const); // "wasm"
 * ```
 */
export function choiceOption<T extends string>(
  flag: string,
  text: string,
  allowed: readonly T[],
): T {
  if (!(allowed as readonly string[]).includes(text)) {
    throw new RangeError(
      `--${flag}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(text)}`,
    );
  }
  return text as T;
}

/**
 * The comma-separated names of option `--flag`, in the order given: none empty, none twice, and
 * each one of `allowed` when given.
 *
 * @throws {RangeError} naming the option and the empty, repeated or unknown name (with the
 * known ones).
 * @example
 * ```ts
 * import { listOption } from "./cli_paths.ts";
 * listOption("models", "mlp,linear", ["linear", "mlp"]); // ["mlp", "linear"]
 * ```
 */
export function listOption(flag: string, text: string, allowed?: readonly string[]): string[] {
  const names = text.split(",");
  names.forEach((name, i) => {
    if (name === "") {
      throw new RangeError(
        `--${flag}: expected comma-separated names, got ${JSON.stringify(text)} (an empty name)`,
      );
    }
    if (allowed && !allowed.includes(name)) {
      throw new RangeError(
        `--${flag}: unknown ${JSON.stringify(name)} (known: ${allowed.join(", ")})`,
      );
    }
    if (names.indexOf(name) !== i) {
      throw new RangeError(`--${flag}: ${JSON.stringify(name)} is given twice`);
    }
  });
  return names;
}

/**
 * The path given as option `--flag`, when it is not empty (an empty path would name the working
 * directory by accident).
 *
 * @throws {RangeError} `--flag: expected a path, got an empty text`.
 * @example
 * ```ts
 * import { pathOption } from "./cli_paths.ts";
 * pathOption("out", "datasets/metadataset"); // "datasets/metadataset"
 * ```
 */
export function pathOption(flag: string, text: string): string {
  if (text === "") throw new RangeError(`--${flag}: expected a path, got an empty text`);
  return text;
}
