/**
 * Delimited-text parsing speed: one CSV file with a single large field (default 10 MB), written
 * unquoted, quoted, and quoted with embedded line breaks and doubled quotes. The quoted forms
 * are reported as ratios against the unquoted one measured in the same run (a well-behaved
 * parser reads all three in time linear in the input, within a small factor of each other).
 * Each figure is the median of `repeats` runs after one warm-up run.
 *
 * `deno run bench/delimited.ts [--megabytes 10] [--repeats 5]` prints one JSON object.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseDelimited } from "../lib/data/delimited.ts";

/** One timed input: median and minimum wall-clock milliseconds. */
export interface DelimitedTiming {
  readonly input: string;
  readonly bytes: number;
  readonly medianMs: number;
  readonly minMs: number;
  /** Median time over the unquoted input's median time. */
  readonly ratioToUnquoted: number;
}

/**
 * Times {@linkcode parseDelimited} on a one-field file of `megabytes` MB in three spellings.
 *
 * @example
 * ```ts ignore
 * import { runDelimitedBenchmark } from "./delimited.ts";
 * console.log(runDelimitedBenchmark({ megabytes: 1, repeats: 3 }));
 * ```
 */
export function runDelimitedBenchmark(
  { megabytes = 10, repeats = 5 }: { megabytes?: number; repeats?: number } = {},
): DelimitedTiming[] {
  const size = Math.round(megabytes * 1_000_000);
  const plain = "abcdefghij".repeat(Math.ceil(size / 10)).slice(0, size);
  const withBreaks = Array.from(
    { length: Math.ceil(size / 100) },
    (_, i) => (i % 2 ? 'a "quoted" b\n' : "abcdefghij").padEnd(100, "x"),
  ).join("").slice(0, size);
  const inputs: [string, string, number][] = [
    ["unquoted", `a,b\n${plain},1\n`, plain.length],
    ["quoted", `a,b\n"${plain}",1\n`, plain.length],
    [
      "quoted with line breaks and doubled quotes",
      `a,b\n"${withBreaks.replaceAll('"', '""')}",1\n`,
      withBreaks.length,
    ],
  ];
  const results: DelimitedTiming[] = [];
  let reference = NaN;
  for (const [input, text, fieldLength] of inputs) {
    const times: number[] = [];
    for (let r = 0; r <= repeats; r++) {
      const start = performance.now();
      const parsed = parseDelimited(text, ",", input);
      const elapsed = performance.now() - start;
      if (parsed.rows[0][0].length !== fieldLength) throw new Error(`${input}: wrong field`);
      if (r > 0) times.push(elapsed);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    if (input === "unquoted") reference = median;
    results.push({
      input,
      bytes: text.length,
      medianMs: Math.round(median * 10) / 10,
      minMs: Math.round(times[0] * 10) / 10,
      ratioToUnquoted: Math.round((median / reference) * 100) / 100,
    });
  }
  return results;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { megabytes: { type: "string" }, repeats: { type: "string" } },
  });
  console.log(JSON.stringify(
    runDelimitedBenchmark({
      megabytes: values.megabytes ? Number(values.megabytes) : undefined,
      repeats: values.repeats ? Number(values.repeats) : undefined,
    }),
    null,
    2,
  ));
}
