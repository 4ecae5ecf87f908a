/**
 * Prints the Markdown summary of a generated meta-dataset (the figures of its README): settings,
 * size of the files, build time and machine, each model's search space and cost, and one line
 * per dataset with its size and the best and median validation error of each model.
 *
 * ```sh
 * deno run --allow-read tools/metadataset_summary.ts datasets/pmlb-metadataset
 * ```
 *
 * The README of `datasets/pmlb-metadataset/` holds this output between the markers
 * `<!-- summary:begin -->` and `<!-- summary:end -->` (a test checks that it is current).
 *
 * @example
 * ```ts ignore
 * import { metaDatasetSummary } from "./metadataset_summary.ts";
 * console.log(await metaDatasetSummary("datasets/pmlb-metadataset"));
 * ```
 *
 * @module
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { loadMetaDataset, type MetaTask } from "../lib/tasks/metadataset/mod.ts";
import { quantile } from "../lib/stats/mod.ts";

/** Markers of the summary inside a README. */
export const SUMMARY_MARKERS = ["<!-- summary:begin -->", "<!-- summary:end -->"] as const;

const fmt = (v: number, digits = 3) => Number.isFinite(v) ? Number(v.toPrecision(digits)) : "—";
const thousands = (v: number) => v.toLocaleString("en-US");

/** The Markdown summary of the meta-dataset in `dir` (`metadataset.json`, `provenance.json`). */
export async function metaDatasetSummary(dir: string): Promise<string> {
  const md = await loadMetaDataset({ path: join(dir, "metadataset.json") });
  const bytes = (name: string) => statSync(join(dir, name)).size;
  const raw = JSON.parse(Deno.readTextFileSync(join(dir, "metadataset.json")));
  const datasets = raw.datasets as {
    id: string;
    taskType: string;
    rows: number;
    features: string[];
    classes: number;
  }[];
  const runs = md.tasks.reduce((n, t) => n + t.configurations.length, 0);
  const failed = md.tasks.reduce((n, t) => n + t.failure.filter((f) => f !== null).length, 0);
  const classification = datasets.filter((d) => d.taskType === "classification").length;
  const p = md.provenance;
  const lines: string[] = [];
  lines.push(
    `- ${datasets.length} datasets (${classification} classification, ${
      datasets.length - classification
    } regression), ${thousands(datasets.reduce((n, d) => n + d.rows, 0))} rows in all (at most ${
      thousands(md.generator.maxRows)
    } each); models ${md.models.map((m) => `\`${m}\``).join(", ")}, ${
      md.tasks[0].configurations.length
    } ` +
      `configurations each: ${md.tasks.length} tasks, ${thousands(runs)} runs, ${failed} failed.`,
    `- Files: \`metadataset.json\` ${thousands(bytes("metadataset.json"))} bytes, ` +
      `\`provenance.json\` ${thousands(bytes("provenance.json"))} bytes.`,
  );
  if (p) {
    lines.push(
      `- Build: ${thousands(p.durationSeconds)} s (${
        fmt(p.durationSeconds / 60)
      } min) of wall time, finished ${
        p.date.slice(0, 16).replace("T", " ")
      } UTC; Deno ${p.runtime.deno}, TensorFlow.js ${p.runtime.tfjs}; ${
        p.runtime.cpus ?? "?"
      } CPUs, load average ${p.runtime.loadAverage ?? "?"} (1, 5, 15 min) at the end.`,
    );
  }
  lines.push("", "| model | parameter | range | seconds per run (mean) | seconds (sum) |");
  lines.push("| --- | --- | --- | ---: | ---: |");
  for (const model of md.models) {
    const tasks = md.tasks.filter((t) => t.model === model);
    const costs = tasks.flatMap((t) => Array.from(t.cost)).filter(Number.isFinite);
    const total = costs.reduce((a, b) => a + b, 0);
    const space = md.spaces[model];
    space.names.forEach((name, i) => {
      const def = space.definition[name] as {
        kind: string;
        low?: number;
        high?: number;
        log?: boolean;
        choices?: unknown[];
      };
      const range = def.kind === "categorical"
        ? `{${def.choices!.map(String).join(", ")}}`
        : `${def.kind} [${def.low}, ${def.high}]${def.log ? " log" : ""}`;
      const cost = i === 0 && costs.length > 0
        ? `| ${fmt(total / costs.length)} | ${thousands(Math.round(total))} |`
        : "| | |";
      lines.push(`| ${i === 0 ? `\`${model}\`` : ""} | \`${name}\` | ${range} ${cost}`);
    });
  }
  const header = md.models.map((m) => `${m} best / median`);
  lines.push("", `| dataset | task | rows | features | classes | ${header.join(" | ")} |`);
  lines.push(`| --- | --- | ---: | ---: | ---: | ${md.models.map(() => "---:").join(" | ")} |`);
  for (const d of datasets) {
    const cells = md.models.map((model) => {
      const task = md.tasks.find((t) => t.id === `${d.id}/${model}`) as MetaTask | undefined;
      const values = task ? Array.from(task.validationError).filter(Number.isFinite) : [];
      if (values.length === 0) return "—";
      return `${fmt(Math.min(...values))} / ${fmt(quantile(values, 0.5))}`;
    });
    lines.push(
      `| \`${d.id}\` | ${d.taskType === "classification" ? "class." : "regr."} | ${
        thousands(d.rows)
      } | ${d.features.length} | ${d.classes || "—"} | ${cells.join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? "datasets/pmlb-metadataset";
  console.log(SUMMARY_MARKERS[0]);
  console.log(await metaDatasetSummary(dir));
  console.log(SUMMARY_MARKERS[1]);
}
