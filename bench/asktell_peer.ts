/**
 * Runs Optuna over a pipe (`bench/peers/optuna_asktell.py`) on a problem whose objective lives
 * here: the peer suggests configurations of a space (conditional ones define-by-run), this side
 * evaluates them. Used by the `rf` suite for the problems the shared peers cannot express (pools,
 * conditional spaces, trained models).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SpaceJSON } from "../lib/space/mod.ts";

/** The peer script's folder. */
const PEER_DIR = fileURLToPath(new URL("./peers/", import.meta.url));

/** Options of {@linkcode runOptunaAskTell}. */
export interface AskTellOptions {
  /** The space, as `space.toJSON()`. */
  space: SpaceJSON;
  /** Seeds of the sampler, one study each. */
  seeds: readonly number[];
  /** Trials per study. */
  budget: number;
  /** Optuna's sampler. */
  sampler?: "tpe" | "random";
  /** The objective of one trial (the active parameters only); a throw is a failed trial. */
  objective: (params: Record<string, unknown>, seed: number) => number | Promise<number>;
  /** The Python interpreter (default `/usr/bin/python3`, where Debian's python3-optuna lives). */
  python?: string;
}

/** The outcome of one seed: the values in trial order (NaN for failures) and Optuna's seconds. */
export interface AskTellRun {
  /** Seed. */
  seed: number;
  /** Objective value of each trial, NaN where it failed. */
  values: number[];
  /** Seconds spent in Optuna (asking and telling; the objective excluded). */
  seconds: number;
}

/**
 * Runs the peer; `{ ok: false, reason }` when Python or Optuna is missing or the peer fails.
 *
 * @example
 * ```ts ignore
 * const run = await runOptunaAskTell({ space: space.toJSON(), seeds: [0], budget: 10, objective });
 * ```
 */
export async function runOptunaAskTell(
  options: AskTellOptions,
): Promise<{ ok: true; runs: AskTellRun[] } | { ok: false; reason: string }> {
  const python = options.python ?? "/usr/bin/python3";
  const script = `${PEER_DIR}optuna_asktell.py`;
  if (!existsSync(python)) return { ok: false, reason: `${python} not found` };
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(python, {
      args: [script],
      cwd: PEER_DIR,
      env: { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return { ok: false, reason: `could not start ${python}: ${(error as Error).message}` };
  }
  const encoder = new TextEncoder();
  const writer = child.stdin.getWriter();
  const send = (value: unknown) => writer.write(encoder.encode(JSON.stringify(value) + "\n"));
  const stderrText = new Response(child.stderr).text();
  const runs = new Map<number, AskTellRun>();
  try {
    await send({
      space: options.space,
      seeds: options.seeds,
      budget: options.budget,
      sampler: options.sampler ?? "tpe",
    });
    let buffer = "";
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    while (true) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line.startsWith("{")) continue;
        const message = JSON.parse(line) as {
          seed: number;
          params?: Record<string, unknown>;
          done?: boolean;
          seconds?: number;
        };
        const run = runs.get(message.seed) ??
          { seed: message.seed, values: [], seconds: 0 };
        runs.set(message.seed, run);
        if (message.done) {
          run.seconds = message.seconds ?? 0;
          continue;
        }
        let value = NaN;
        try {
          value = await options.objective(message.params ?? {}, message.seed);
        } catch {
          value = NaN;
        }
        run.values.push(value);
        await send({ value: Number.isFinite(value) ? value : null });
      }
    }
    await writer.close().catch(() => {});
  } catch (error) {
    child.kill();
    return { ok: false, reason: `optuna_asktell.py: ${(error as Error).message}` };
  }
  const status = await child.status;
  if (!status.success) {
    const tail = (await stderrText).trim().split("\n").slice(-3).join(" | ");
    return { ok: false, reason: `optuna_asktell.py exited with ${status.code}: ${tail}` };
  }
  return { ok: true, runs: options.seeds.map((s) => runs.get(s)!).filter(Boolean) };
}
