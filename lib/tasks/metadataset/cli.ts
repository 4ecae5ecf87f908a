/**
 * The command line shared by the meta-dataset generators (`deno task datasets` and
 * `deno task datasets:pmlb`): the options both take, checked, and the run around a generator (one
 * line per bad argument, exit status 2; a failed generation, exit status 1). A relative `--out`
 * given on the command line is taken from the folder the command was started in (`INIT_CWD`, as
 * `deno task bench` takes its folders); the tasks' default `--out` from the project root.
 *
 * @module
 */
import { resolve } from "node:path";
import { choiceOption, integerOption, pathOption, resolveGivenPath } from "../../cli_paths.ts";
import type { GeneratedMetaDataset } from "./build.ts";

/** The options both generators take from the command line. */
export interface CommonGeneratorOptions {
  /** `--out`. */
  out: string;
  /** `--seed`. */
  seed?: number;
  /** `--design`. */
  designSize?: number;
  /** `--max-rows`. */
  maxRows?: number;
  /** `--backend`. */
  backend?: "cpu" | "wasm";
}

/**
 * `--out`, `--seed`, `--design`, `--max-rows` and `--backend` of `values` (node's `parseArgs`),
 * each checked (`least` gives the least design size and row cap).
 *
 * @throws {RangeError} naming the option with a bad value.
 *
 * @example
 * ```ts
 * import { commonGeneratorOptions } from "./cli.ts";
 * commonGeneratorOptions({ out: "out", design: "8" }, { designSize: 1, maxRows: 20 });
 * // { out: "out", designSize: 8 }
 * ```
 */
export function commonGeneratorOptions(
  values: {
    out: string;
    seed?: string;
    design?: string;
    "max-rows"?: string;
    backend?: string;
  },
  least: { designSize: number; maxRows: number },
): CommonGeneratorOptions {
  const options: CommonGeneratorOptions = { out: pathOption("out", values.out) };
  if (values.seed !== undefined) options.seed = integerOption("seed", values.seed);
  if (values.design !== undefined) {
    options.designSize = integerOption("design", values.design, least.designSize);
  }
  if (values["max-rows"] !== undefined) {
    options.maxRows = integerOption("max-rows", values["max-rows"], least.maxRows);
  }
  if (values.backend !== undefined) {
    options.backend = choiceOption("backend", values.backend, ["cpu", "wasm"] as const);
  }
  return options;
}

/** `INIT_CWD` (which `deno task` sets), without a prompt when `--allow-env` is not given. */
function initCwd(): string | undefined {
  const env = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" });
  return env.state === "granted" ? Deno.env.get("INIT_CWD") : undefined;
}

/**
 * `out`, the last `--out` of `args`, made absolute. The tasks (`deno task datasets`,
 * `deno task datasets:pmlb`) give their default `--out` before the arguments of the command line:
 * a second `--out` is the one given on the command line, taken from the folder the command was
 * started in (`resolveGivenPath`: `initCwd` when set, else `cwd`); a single one is the task's
 * default (taken from the project root, the working directory of `deno task`) or, in a script run
 * directly, the one given, taken from the working directory.
 *
 * @example
 * ```ts
 * import { resolveOutOption } from "./cli.ts";
 * resolveOutOption(["--out", "datasets/m"], "datasets/m", "/repo", "/home/me"); // "/repo/datasets/m"
 * resolveOutOption(["--out", "datasets/m", "--out=gen"], "gen", "/repo", "/home/me"); // "/home/me/gen"
 * ```
 */
export function resolveOutOption(
  args: readonly string[],
  out: string,
  cwd: string,
  initCwd?: string,
): string {
  const end = args.indexOf("--");
  const given = (end < 0 ? args : args.slice(0, end)).filter((a) =>
    a === "--out" || a.startsWith("--out=")
  );
  return given.length > 1 ? resolveGivenPath(out, cwd, initCwd) : resolve(cwd, out);
}

/**
 * Runs generator command `name` on `args`: `parse` checks them (a bad one is a one-line error,
 * exit status 2), `--help` prints `usage`, and `generate` builds into `options.out` (made absolute
 * by {@linkcode resolveOutOption}) with progress
 * on stderr and a one-line JSON summary on stdout (a failure is a one-line error, exit status 1).
 * Returns the exit status.
 */
export async function runGeneratorCommand<O extends { out: string }>(
  name: string,
  usage: string,
  args: readonly string[],
  parse: (args: readonly string[]) =>
    | { help: boolean; options: O }
    | Promise<{
      help: boolean;
      options: O;
    }>,
  generate: (options: O & { log: (message: string) => void }) => Promise<GeneratedMetaDataset>,
): Promise<number> {
  let parsed: { help: boolean; options: O };
  try {
    parsed = await parse(args);
  } catch (error) {
    // On one line: node's parseArgs writes some of its errors on several.
    console.error(`${name}: ${(error as Error).message.replaceAll("\n", " ")}`);
    return 2;
  }
  if (parsed.help) {
    console.log(usage);
    return 0;
  }
  const out = resolveOutOption(args, parsed.options.out, Deno.cwd(), initCwd());
  try {
    const { provenance, data } = await generate({
      ...parsed.options,
      out,
      log: (message) =>
        console.error(`[${name} ${new Date().toISOString().slice(11, 19)}] ${message}`),
    });
    console.log(JSON.stringify({
      out,
      tasks: data.tasks.length,
      datasets: data.datasets.length,
      durationSeconds: provenance.durationSeconds,
    }));
    return 0;
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    return 1;
  }
}
