/**
 * A meta-dataset generator's command line run as `deno task` runs it, for the tests of both
 * generators' arguments.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { MetaDatasetFile } from "../../lib/tasks/metadataset/format.ts";
import { denoRun } from "../_deno_run.ts";

/**
 * `deno run <script> --out <fresh temporary folder> ...tiny ...args`: `tiny` makes a small build
 * should the arguments be taken (the arguments given come last and win). Returns the exit code,
 * the output, the files written and the written file's generator settings.
 */
export async function generatorCli(script: URL, tiny: readonly string[], args: readonly string[]) {
  const out = await Deno.makeTempDir({ prefix: "metahpo-datasets-" });
  const run = await denoRun([
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-sys",
    script.pathname,
    "--out",
    out,
    ...tiny,
    "--backend",
    "cpu",
    ...args,
  ]);
  const written = readdirSync(out);
  const generator = written.includes("metadataset.json")
    ? (JSON.parse(readFileSync(join(out, "metadataset.json"), "utf8")) as MetaDatasetFile).generator
    : undefined;
  await Deno.remove(out, { recursive: true });
  return { ...run, written, generator };
}
