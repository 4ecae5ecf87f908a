/**
 * The shape of a benchmark suite run by `deno task bench`.
 *
 * @module
 */
import type { ResultRow } from "../../lib/results/mod.ts";

/** Settings every suite receives, resolved from the command line. */
export interface SuiteConfig {
  /** `quick` (default: minutes on 2 cores) or `full` (the full protocols: more seeds, tasks and iterations). */
  size: "quick" | "full";
  /** Number of seeds, when given on the command line (else the suite's own default per size). */
  seeds?: number;
  /** The first seed (default 0): seeds run from it, so that a run can be split over processes. */
  firstSeed?: number;
  /** Evaluation budget, when given on the command line. */
  budget?: number;
  /** Whether to run the Python peers side by side. */
  peers: boolean;
  /** Folder of the peer runners. */
  peersDir: string;
  /** Where output files go. */
  outDir: string;
  /** Progress reporting. */
  progress: (done: number, total: number, label: string) => void;
  /** Free-text remarks collected for the report (e.g. a peer that could not run). */
  notes: string[];
}

/** A summary table: a title and flat records. */
export interface SummaryTable {
  /** Heading of the table. */
  title: string;
  /** Rows; every record has the same keys. */
  records: Record<string, string | number>[];
}

/** What a suite produces. */
export interface SuiteOutput {
  /** Raw results in the long format. */
  rows: ResultRow[];
  /** Summary tables for the console, summary.csv and the report. */
  tables: SummaryTable[];
}

/** A benchmark suite. */
export interface Suite {
  /** Name used with `--suite`. */
  name: string;
  /** One line for `--help`. */
  description: string;
  /**
   * Flags of the command line the suite has no use for: when one is given, the run says so in a
   * note instead of ignoring it silently.
   */
  ignores?: readonly ("seeds" | "budget")[];
  /**
   * What the suite reads `--budget` as, with its default, for `--help` (e.g. `evaluations per
   * run (default 50)`); absent when it {@linkcode Suite.ignores} the flag.
   */
  budgetUse?: string;
  /**
   * Notes for a `--seeds` or `--budget` that the suite uses for some of its problems only (e.g. a
   * problem that keeps its own seed count at one size), given the size and the flags as given
   * (undefined when not given); an empty list when every problem uses them. Printed and recorded
   * like the notes of {@linkcode Suite.ignores}.
   */
  partlyUsed?(flags: { size: "quick" | "full"; seeds?: number; budget?: number }): string[];
  /** Files the suite writes into the output folder besides the run's own. */
  outputFiles?: readonly string[];
  /** Runs the suite. */
  run(config: SuiteConfig): Promise<SuiteOutput>;
}
