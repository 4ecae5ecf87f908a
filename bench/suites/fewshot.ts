/**
 * Suite `fewshot`: few-shot classification (Finn et al. 2017, section 5.2) for the MAML family
 * trained with the softmax cross-entropy, against training from scratch on the support set with
 * default and SMBO-tuned hyperparameters: 5-way 1- and 5-shot MNIST with a digit split (and, with
 * `--full`, 3-way episodes of the PMLB `segmentation` dataset with a class split); query accuracy
 * with 95% CIs over meta-test episodes, and the cost of the cross-entropy per meta-iteration
 * against the mean squared error. The protocol is documented in `lib/protocols/fewshot.ts`.
 * At full size with the peers, the PyTorch reference (`bench/fewshot_peer.ts`) trains in its own
 * process at the same time on the same seeds and scores the same MNIST meta-test episodes.
 *
 * @module
 */
import {
  crossEntropyCost,
  FEWSHOT_SIZES,
  type FewShotOptions,
  fewShotTables,
  runFewShot,
} from "../../lib/protocols/fewshot.ts";
import type { ResultRow } from "../../lib/results/mod.ts";
import type { Suite, SuiteConfig, SuiteOutput } from "./types.ts";
import { fewShotPeerRows } from "../fewshot_peer.ts";

/** Arms of the protocol a run may restrict itself to (the size's own when absent). */
export type FewShotArms = Pick<FewShotOptions, "learners" | "families" | "smboBudget">;

/**
 * The `fewshot` suite restricted to some arms: `learners`, `families`, and `smboBudget` (0 leaves
 * the SMBO-tuned arm out). Every arm is seeded on its own (its initialisation and episode streams
 * depend on the seed only), so an arm's rows are the same whichever other arms run with it, and
 * runs of some arms on further seeds can be merged with a run of all arms.
 */
export function fewshotSuiteOf(arms: FewShotArms = {}): Suite {
  return {
    name: "fewshot",
    description: "MAML family vs (SMBO-tuned) training from scratch on few-shot classification",
    budgetUse:
      `meta-iterations per learner (default ${FEWSHOT_SIZES.quick.metaIterations}, ${FEWSHOT_SIZES.full.metaIterations} with --full, where the PyTorch reference trains as many; the SMBO-tuned arm keeps its own ${FEWSHOT_SIZES.quick.smboBudget} evaluations, ${FEWSHOT_SIZES.full.smboBudget} with --full)`,
    run: (config) => runSuite(config, arms),
  };
}

/**
 * The `fewshot` suite (`--budget` overrides the number of meta-iterations per learner; `--seeds N`
 * runs the protocol with seeds 0 … N−1, one seed by default; `firstSeed` shifts them).
 */
export const fewshotSuite: Suite = fewshotSuiteOf();

async function runSuite(config: SuiteConfig, arms: FewShotArms): Promise<SuiteOutput> {
  const size = FEWSHOT_SIZES[config.size];
  const seeds = config.seeds ?? 1;
  const first = config.firstSeed ?? 0;
  const result = { rows: [] as ResultRow[] };
  const metaIterations = config.budget ?? size.metaIterations!;
  // The PyTorch reference in its own process, side by side with ours (full size only: the
  // quick size trains once on 1-shot episodes, the reference once per K).
  const peer = config.peers && config.size === "full"
    ? fewShotPeerRows({
      seeds: Array.from({ length: seeds }, (_, i) => first + i),
      iterations: metaIterations,
      testTasks: size.testTasks!,
      metaBatchSize: size.metaBatchSize!,
    }).then(({ rows, torch }) => {
      config.notes.push(`fewshot: PyTorch reference with torch ${torch}`);
      return rows;
    }).catch((error: Error) => {
      config.notes.push(`fewshot: the PyTorch reference did not run: ${error.message}`);
      return [] as ResultRow[];
    })
    : Promise.resolve([] as ResultRow[]);
  for (let i = 0; i < seeds; i++) {
    const seed = first + i;
    const run = await runFewShot({
      ...size,
      ...arms,
      ...(config.budget ? { metaIterations: config.budget } : {}),
      seed,
      onProgress: (done, total, label) =>
        config.progress(i * total + done, seeds * total, `seed ${seed}: ${label}`),
    });
    result.rows.push(...run.rows);
  }
  result.rows.push(...await peer);
  config.progress(0, 1, "cross-entropy cost");
  const cost = await crossEntropyCost({ iterations: config.size === "full" ? 50 : 15 });
  const rows: ResultRow[] = [
    ...result.rows,
    ...cost.flatMap((c) =>
      [
        ["ms_per_meta_gradient", "ms / meta-gradient"],
        ["cpu_ms_per_meta_gradient", "CPU ms / meta-gradient"],
      ].map(([metric, key]) => ({
        suite: "fewshot",
        task: "mnist-5w1s",
        method: `${c.learner} ${c.loss} (${c.engine})`,
        seed: 0,
        step: 0,
        metric,
        value: Number(c[key]),
      }))
    ),
  ];
  return {
    rows,
    tables: [
      ...fewShotTables(result),
      {
        title:
          "Milliseconds per meta-gradient of second-order MAML at its initialisation, meta-batch 8, " +
          "5-way 1-shot MNIST, 196-64-64-5 ReLU MLP",
        records: cost,
      },
    ],
  };
}
