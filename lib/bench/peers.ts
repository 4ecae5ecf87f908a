/**
 * Runs the Python reference runners (Optuna TPE / random, a scikit-learn GP-EI loop, a PyTorch
 * MAML) side by side with our benchmarks, so that ratios are taken on the same machine in the
 * same run. The peers are optional: when Python or their packages are missing, the run says why
 * and yields nothing.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Where the peer runners are looked for, relative to the working directory. */
export const DEFAULT_PEERS_DIR = "../shared/peers";

/** A peer's answer: one JSON object per printed line. */
export type PeerRecord = Record<string, unknown>;

/** The outcome of running one peer command. */
export type PeerRun =
  | { ok: true; records: PeerRecord[]; seconds: number }
  | { ok: false; reason: string };

/**
 * Runs `python3 <script> <args…>` in the script's folder and parses the JSON lines it prints,
 * bare `NaN` and `±Infinity` included (see {@linkcode parsePythonJson}). `script` is a path,
 * relative to `dir` (default {@linkcode DEFAULT_PEERS_DIR}) or absolute. A wrapper script that
 * runs another one (e.g. a runner of the shared peers folder) names it in `requires` (paths,
 * relative to the working directory or absolute): a missing one is the reason, by its absolute
 * path, rather than the wrapper's Python error. BLAS libraries get `threads` threads (default
 * 1). Never throws for a missing or failing peer: it returns `{ ok: false, reason }`.
 *
 * @example
 * ```ts
 * import { runPeer } from "./peers.ts";
 * const run = await runPeer("optuna_peer.py", ["--budget", "10", "--seeds", "2", "--funcs", "branin"]);
 * if (run.ok) console.log(run.records);
 * ```
 */
export async function runPeer(
  script: string,
  args: readonly string[],
  options: { dir?: string; python?: string; threads?: number; requires?: readonly string[] } = {},
): Promise<PeerRun> {
  const path = resolve(options.dir ?? DEFAULT_PEERS_DIR, script);
  const python = options.python ?? "/usr/bin/python3";
  for (const needed of [path, ...(options.requires ?? []).map((p) => resolve(p))]) {
    if (!existsSync(needed)) return { ok: false, reason: `${needed} not found` };
  }
  if (!existsSync(python)) return { ok: false, reason: `${python} not found` };
  const threads = String(options.threads ?? 1);
  const start = performance.now();
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(python, {
      args: [path, ...args],
      cwd: dirname(path),
      env: { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads },
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    return { ok: false, reason: `could not start ${python}: ${(error as Error).message}` };
  }
  const seconds = (performance.now() - start) / 1000;
  const decoder = new TextDecoder();
  if (!output.success) {
    const stderr = decoder.decode(output.stderr).trim().split("\n").slice(-3).join(" | ");
    return { ok: false, reason: `${script} exited with ${output.code}: ${stderr}` };
  }
  const lines = decoder.decode(output.stdout).split("\n").filter((l) => l.trim().startsWith("{"));
  try {
    return { ok: true, records: lines.map(parsePythonJson), seconds };
  } catch (error) {
    return { ok: false, reason: `${script} printed a line that is not JSON: ${error}` };
  }
}

/**
 * Parses a JSON line printed by Python's `json.dumps`, which writes NaN and ±Infinity as bare
 * words (a diverged run is a result): they become NaN and ±Infinity here.
 *
 * @example
 * ```ts
 * import { parsePythonJson } from "./peers.ts";
 * parsePythonJson('{"mse": [NaN, 0.5]}'); // { mse: [NaN, 0.5] }
 * ```
 */
export function parsePythonJson(line: string): PeerRecord {
  const marked = line.replace(
    /("(?:[^"\\]|\\.)*")|-?Infinity|NaN/g,
    (match, text) => text ?? `{"__number__":"${match}"}`,
  );
  return JSON.parse(
    marked,
    (_key, value) =>
      value !== null && typeof value === "object" && typeof value.__number__ === "string"
        ? Number(value.__number__)
        : value,
  ) as PeerRecord;
}
