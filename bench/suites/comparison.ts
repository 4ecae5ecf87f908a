/**
 * Suite `comparison`: SMBO vs MAML on few-shot tasks — given past tasks, how fast do we get a good
 * model on a new task? Training from scratch (default and SMBO-tuned hyperparameters, with and
 * without transfer from other meta-train tasks), the MAML family, and SMBO tuning a meta-learner's
 * learning rates, on the sinusoid family (K = 5, 10) and few-shot regression from a built-in
 * dataset; query MSE after 1 and 10 adaptation steps against the compute spent. The protocol is
 * documented in `lib/protocols/comparison.ts`.
 *
 * @module
 */
import {
  COMPARISON_SIZES,
  comparisonConclusion,
  comparisonTables,
  runComparison,
} from "../../lib/protocols/comparison.ts";
import type { Suite } from "./types.ts";

/** The `comparison` suite (`--seeds` overrides the size's number of seeds). */
export const comparisonSuite: Suite = {
  name: "comparison",
  description: "SMBO vs the MAML family on few-shot sinusoid and tabular tasks (MSE vs compute)",
  ignores: ["budget"],
  async run(config) {
    const result = await runComparison({
      ...COMPARISON_SIZES[config.size],
      ...(config.seeds ? { seeds: config.seeds } : {}),
      onProgress: config.progress,
    });
    for (const line of comparisonConclusion(result)) config.notes.push(`comparison: ${line}`);
    return { rows: result.rows, tables: comparisonTables(result) };
  },
};
