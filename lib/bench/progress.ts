/**
 * Progress reporting for long benchmark runs: a bar with ETA when stderr is a terminal, plain
 * lines otherwise (CI logs, notebooks).
 *
 * @module
 */

/** Receives progress of a unit of work: `done` of `total` steps, with a label. */
export type ProgressCallback = (done: number, total: number, label: string) => void;

/**
 * A progress reporter writing to stderr; plain lines at most every `intervalSeconds` when stderr is
 * not a terminal.
 *
 * @example
 * ```ts
 * import { stderrProgress } from "./progress.ts";
 * const progress = stderrProgress("smbo");
 * progress(1, 10, "branin gp-logei seed 0");
 * ```
 */
export function stderrProgress(name: string, intervalSeconds = 10): ProgressCallback {
  const start = performance.now();
  const terminal = Deno.stderr.isTerminal();
  const encoder = new TextEncoder();
  let lastLine = -Infinity;
  return (done, total, label) => {
    const elapsed = (performance.now() - start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : NaN;
    const text = `${name} ${done}/${total} ${formatSeconds(elapsed)} elapsed, ETA ${
      formatSeconds(eta)
    } — ${label}`;
    if (terminal) {
      const width = 24;
      const filled = Math.round((width * done) / Math.max(total, 1));
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${bar} ${text}`));
      if (done === total) Deno.stderr.writeSync(encoder.encode("\n"));
    } else if (elapsed - lastLine >= intervalSeconds || done === total) {
      lastLine = elapsed;
      Deno.stderr.writeSync(encoder.encode(text + "\n"));
    }
  };
}

/**
 * Seconds as `1h02m`, `3m05s` or `12.3s`.
 *
 * @example
 * ```ts
 * import { formatSeconds } from "./progress.ts";
 * formatSeconds(185); // "3m05s"
 * ```
 */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
