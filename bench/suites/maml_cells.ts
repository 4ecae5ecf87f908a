/**
 * The cells of the `maml` suite's MSE tables, written by the suite and read back by the README
 * generator (`bench/readme_tables.ts`): "m ± h", or "m ± h (d/t diverged)" when d of the t tasks
 * diverged (the mean and interval are then over the others).
 *
 * @module
 */

/**
 * A loss as the tables print it: three decimals for ordinary losses, three significant digits for
 * blown-up ones.
 *
 * @example
 * ```ts
 * import { lossFigure } from "./maml_cells.ts";
 * lossFigure(0.31914); // "0.319"
 * lossFigure(8.9e30); // "8.90e+30"
 * ```
 */
export const lossFigure = (x: number): string =>
  Math.abs(x) < 1e4 ? x.toFixed(3) : x.toPrecision(3);

/**
 * A cell: "m ± h", "m ± h (d/t diverged)" when `diverged` > 0, "diverged" when no task stayed
 * finite (`mean` NaN).
 *
 * @example
 * ```ts
 * import { formatMseCell } from "./maml_cells.ts";
 * formatMseCell(0.3191, 0.0471, 1, 600); // "0.319 ± 0.047 (1/600 diverged)"
 * ```
 */
export function formatMseCell(mean: number, ci: number, diverged: number, tasks: number): string {
  if (!Number.isFinite(mean)) return "diverged";
  const left = diverged > 0 ? ` (${diverged}/${tasks} diverged)` : "";
  return `${lossFigure(mean)} ± ${lossFigure(ci)}${left}`;
}

/**
 * A cell parsed: mean, half-width, diverged tasks and tasks (0 and 0 when the cell names none);
 * `undefined` for anything else (e.g. "diverged" in runs made before the finite rule).
 *
 * @example
 * ```ts
 * import { parseMseCell } from "./maml_cells.ts";
 * parseMseCell("0.319 ± 0.047 (1/600 diverged)")?.diverged; // 1
 * ```
 */
export function parseMseCell(
  cell: string | number | undefined,
): { mean: number; half: number; diverged: number; tasks: number } | undefined {
  const match = String(cell ?? "").match(
    /^([-\d.e+]+) ± ([-\d.e+]+)(?: \((\d+)\/(\d+) diverged\))?$/,
  );
  if (!match) return undefined;
  return {
    mean: Number(match[1]),
    half: Number(match[2]),
    diverged: Number(match[3] ?? 0),
    tasks: Number(match[4] ?? 0),
  };
}
