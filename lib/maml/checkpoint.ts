/**
 * Checkpoints: a learner's kind, options and meta-parameters as JSON, saved to and loaded
 * from files. The meta-optimiser's moments are not stored: training resumed from a checkpoint
 * starts Adam afresh (pass a new `seed` to `metaTrain` for a fresh task stream).
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { tf } from "../deps/tf.ts";
import { z } from "../deps/zod.ts";
import { createLearner, type MetaLearner } from "./learners.ts";
import { LEARNER_KINDS, type LearnerKind } from "./kinds.ts";
import type { FunctionalModel } from "./model.ts";
import { parseOrThrow } from "../validate.ts";

/** Format tag written into every checkpoint. */
export const CHECKPOINT_FORMAT = "metahpo.maml.checkpoint/1";

const CheckpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  kind: z.enum(LEARNER_KINDS),
  options: z.record(z.string(), z.unknown()),
  iteration: z.number().int().min(0),
  variables: z.record(
    z.string(),
    z.object({ shape: z.array(z.number().int().min(0)), values: z.array(z.number()) }),
  ),
});

/** A learner's state as plain JSON data. */
export interface Checkpoint {
  /** Always {@linkcode CHECKPOINT_FORMAT}. */
  format: typeof CHECKPOINT_FORMAT;
  /** The learner's kind. */
  kind: LearnerKind;
  /** The learner's validated options. */
  options: Record<string, unknown>;
  /** Meta-iterations done when saved. */
  iteration: number;
  /** Every meta-parameter by its key (`theta.0`, `lr.3`, …), row-major values. */
  variables: Record<string, { shape: number[]; values: number[] }>;
}

/**
 * The learner's state (kind, options, every meta-parameter) after `iteration` meta-iterations.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { checkpoint, MAML, mlp } from "./mod.ts";
 * const json = JSON.stringify(checkpoint(new MAML(mlp({ sizes: [1, 8, 1] })), 0));
 * ```
 */
export function checkpoint(learner: MetaLearner, iteration: number): Checkpoint {
  const variables: Checkpoint["variables"] = {};
  learner.variables.forEach((v, i) => {
    variables[learner.variableKeys[i]] = { shape: [...v.shape], values: Array.from(v.dataSync()) };
  });
  return {
    format: CHECKPOINT_FORMAT,
    kind: learner.kind,
    options: { ...learner.options },
    iteration,
    variables,
  };
}

/**
 * Overwrites `learner`'s meta-parameters with a checkpoint's. Every key and shape is checked
 * before anything is written, so a mismatching checkpoint throws and changes nothing.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { checkpoint, MAML, mlp, restore } from "./mod.ts";
 * const a = new MAML(mlp({ sizes: [1, 8, 1] }), { seed: 1 });
 * const b = new MAML(mlp({ sizes: [1, 8, 1] }), { seed: 2 });
 * restore(b, checkpoint(a, 0)); // b now equals a
 * ```
 */
export function restore(learner: MetaLearner, data: unknown): void {
  const c = parseOrThrow(CheckpointSchema, data, "checkpoint") as Checkpoint;
  if (c.kind !== learner.kind) {
    throw new TypeError(`checkpoint.kind: "${c.kind}", the learner is "${learner.kind}"`);
  }
  const keys = learner.variableKeys;
  const missing = keys.filter((k) => !(k in c.variables));
  const extra = Object.keys(c.variables).filter((k) => !keys.includes(k));
  if (missing.length || extra.length) {
    throw new TypeError(
      `checkpoint.variables: missing [${missing.join(", ")}], unexpected [${extra.join(", ")}]`,
    );
  }
  learner.variables.forEach((v, i) => {
    const entry = c.variables[keys[i]];
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.shape.join() !== v.shape.join() || entry.values.length !== size) {
      throw new TypeError(
        `checkpoint.variables.${
          keys[i]
        }: shape [${entry.shape}] with ${entry.values.length} values, expected [${v.shape}]`,
      );
    }
  });
  learner.variables.forEach((v, i) => {
    const entry = c.variables[keys[i]];
    tf.tidy(() => v.assign(tf.tensor(entry.values, v.shape)));
  });
}

/**
 * A new learner of the checkpoint's kind and options on `model`, with its meta-parameters.
 *
 * @example
 * ```ts
 * import { useBackend } from "../tfjs/backend.ts";
 * await useBackend("cpu");
 * import { checkpoint, fromCheckpoint, MetaSGD, mlp } from "./mod.ts";
 * const model = mlp({ sizes: [1, 8, 1] });
 * const copy = fromCheckpoint(checkpoint(new MetaSGD(model), 0), model);
 * ```
 */
export function fromCheckpoint(data: unknown, model: FunctionalModel): MetaLearner {
  const c = parseOrThrow(CheckpointSchema, data, "checkpoint") as Checkpoint;
  const learner = createLearner(c.kind, model, c.options);
  try {
    restore(learner, c);
  } catch (error) {
    learner.dispose();
    throw error;
  }
  return learner;
}

/**
 * Writes a checkpoint of `learner` to `path` as JSON.
 *
 * @example
 * ```ts ignore
 * import { MAML, mlp, saveCheckpoint } from "./mod.ts";
 * saveCheckpoint("/tmp/maml.json", new MAML(mlp({ sizes: [1, 8, 1] })), 0);
 * ```
 */
export function saveCheckpoint(path: string, learner: MetaLearner, iteration: number): void {
  writeFileSync(path, JSON.stringify(checkpoint(learner, iteration)));
}

/**
 * Reads a checkpoint file and builds the learner on `model` (see {@linkcode fromCheckpoint}).
 *
 * @example
 * ```ts ignore
 * import { loadCheckpoint, mlp } from "./mod.ts";
 * const learner = loadCheckpoint("/tmp/maml.json", mlp({ sizes: [1, 8, 1] }));
 * ```
 */
export function loadCheckpoint(path: string, model: FunctionalModel): MetaLearner {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`loadCheckpoint: cannot read ${path}: ${(error as Error).message}`);
  }
  return fromCheckpoint(data, model);
}
