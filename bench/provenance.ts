/**
 * Provenance of a committed result: the command that produced it, the commit, the date, the
 * machine and the versions, so that every published figure can be traced to a rerunnable command.
 *
 * @module
 */
import { cpus, totalmem } from "node:os";
import type { CommittedProvenance } from "../lib/results/committed.ts";
import { recordsToCsv, type ResultRow, toCsv } from "../lib/results/results.ts";

/**
 * Where a result came from: the record that `lib/results` reads back
 * ({@linkcode CommittedProvenance}), written here without the optional fields.
 */
export type Provenance = Omit<CommittedProvenance, "tfjs" | "suites">;

function loadAverage(): number[] | undefined {
  try {
    return Deno.loadavg().map((l) => Number(l.toFixed(2)));
  } catch {
    return undefined;
  }
}

/** The machine's 1-minute load average now (NaN where it cannot be read). */
export function loadNow(): number {
  try {
    return Deno.loadavg()[0];
  } catch {
    return NaN;
  }
}

async function git(args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The provenance of a run that took `wallSeconds` and was started by `command`.
 *
 * @example
 * ```ts
 * import { runProvenance } from "./provenance.ts";
 * const p = await runProvenance("deno task fuzz", 1.5);
 * console.log(p.commit, p.versions.deno);
 * ```
 */
export async function runProvenance(command: string, wallSeconds: number): Promise<Provenance> {
  const commit = await git(["rev-parse", "HEAD"]) ?? "unknown";
  const status = await git(["status", "--porcelain", "--untracked-files=no"]);
  const cpuList = cpus();
  const load = loadAverage();
  return {
    command,
    commit,
    dirty: status !== undefined && status.length > 0,
    date: new Date().toISOString(),
    wallSeconds: Number(wallSeconds.toFixed(1)),
    versions: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
    },
    machine: {
      os: Deno.build.os,
      arch: Deno.build.arch,
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? "unknown",
      memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    },
    ...(load ? { loadAverage: load } : {}),
  };
}

/** What {@linkcode writeBenchOutput} writes. */
export interface BenchOutput {
  /** Every measurement in the long format (`results.csv`). */
  rows: readonly ResultRow[];
  /** The summary tables (`summary.csv`: each as `# title`, then its CSV). */
  sections: readonly { title: string; records: readonly Record<string, unknown>[] }[];
  /** The printed tables (`summary.md`). */
  markdown: string;
  /** The run's provenance (`provenance.json`). */
  provenance: Provenance;
}

/**
 * Writes a bench script's output folder `out` (created if needed): `results.csv`, `summary.csv`,
 * `summary.md` and `provenance.json`.
 *
 * @example
 * ```ts
 * import { runProvenance, writeBenchOutput } from "./provenance.ts";
 * const out = await Deno.makeTempDir();
 * await writeBenchOutput(out, {
 *   rows: [],
 *   sections: [{ title: "demo", records: [{ problem: "branin", median: 0.1 }] }],
 *   markdown: "# demo\n",
 *   provenance: await runProvenance("deno run -A bench/demo.ts", 0.1),
 * });
 * console.log(await Deno.readTextFile(`${out}/summary.csv`)); // "# demo\nproblem,median\nbranin,0.1\n"
 * ```
 */
export async function writeBenchOutput(out: string, output: BenchOutput): Promise<void> {
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(`${out}/results.csv`, toCsv(output.rows));
  await Deno.writeTextFile(
    `${out}/summary.csv`,
    output.sections.map(({ title, records }) => `# ${title}\n${recordsToCsv(records)}`).join(""),
  );
  await Deno.writeTextFile(`${out}/summary.md`, output.markdown);
  await Deno.writeTextFile(
    `${out}/provenance.json`,
    JSON.stringify(output.provenance, null, 2) + "\n",
  );
}
