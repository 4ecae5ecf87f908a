/**
 * Checkpoints: a learner's kind, options, loss (by name), network architecture (for an `mlp`)
 * and meta-parameters as JSON, saved to and loaded from files. The meta-optimiser's moments are
 * not stored: training resumed from a checkpoint starts Adam afresh (pass a new `seed` to
 * `metaTrain` for a fresh task stream).
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { tf } from "../deps/tf.ts";
import { z } from "../deps/zod.ts";
import { createLearner, type MetaLearner, parseLearnerOptions } from "./learners.ts";
import { LEARNER_KINDS, type LearnerKind } from "./kinds.ts";
import { type Activation, checkFunctionalModel, type FunctionalModel } from "./model.ts";
import { mse, softmaxCrossEntropy, type TaskLoss } from "./inner.ts";
import { firstNonFinite } from "./data.ts";
import { parseOrThrow } from "../validate.ts";

/** Format tag written into every checkpoint. */
export const CHECKPOINT_FORMAT = "metahpo.maml.checkpoint/1";

/** The name a checkpoint stores for a learner's loss: a built-in loss, or `"custom"`. */
export type CheckpointLoss = "mse" | "softmaxCrossEntropy" | "custom";

/** The built-in losses a checkpoint names; any other loss is stored as `"custom"`. */
const BUILTIN_LOSSES: Readonly<Record<Exclude<CheckpointLoss, "custom">, TaskLoss>> = {
  mse,
  softmaxCrossEntropy,
};

/** Meta-iterations of a checkpoint: the same rule when writing and when reading. */
const IterationSchema = z.number().int().min(0);

const CheckpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  kind: z.enum(LEARNER_KINDS),
  options: z.record(z.string(), z.unknown()),
  loss: z.enum(["mse", "softmaxCrossEntropy", "custom"]).optional(),
  // The activation is compared with the model's, whose own options validate the names.
  architecture: z.object({
    sizes: z.array(z.number().int().positive()).min(2),
    activation: z.string(),
  }).strict().optional(),
  iteration: IterationSchema,
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
  /**
   * The learner's loss: the name of a built-in loss, restored by {@linkcode fromCheckpoint}, or
   * `"custom"` for another loss, which must be passed to it again (`{ loss }`). Checkpoints
   * written before this field existed have none: they restore with mse unless `loss` is given.
   */
  loss?: CheckpointLoss;
  /**
   * The network of a model built by `mlp` (its `architecture`: layer widths and hidden
   * activation), which {@linkcode restore} requires the model to repeat; absent for another model
   * (its parameters' shapes are all a checkpoint can check) and in checkpoints written before
   * this field existed, which restore into any model whose shapes fit.
   */
  architecture?: { sizes: number[]; activation: Activation };
  /** Meta-iterations done when saved. */
  iteration: number;
  /** Every meta-parameter by its key (`theta.0`, `lr.3`, …), row-major values. */
  variables: Record<string, { shape: number[]; values: number[] }>;
}

/** The name a checkpoint stores for `loss`. */
function lossName(loss: TaskLoss): CheckpointLoss {
  if (loss === mse) return "mse";
  return loss === softmaxCrossEntropy ? "softmaxCrossEntropy" : "custom";
}

/**
 * The learner's state (kind, options, loss name, the model's `architecture` when it has one, as
 * `mlp`'s, every meta-parameter) after `iteration` meta-iterations (a non-negative integer, as
 * the loader requires; else a `TypeError`).
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
  parseOrThrow(IterationSchema, iteration, "checkpoint: iteration");
  const variables: Checkpoint["variables"] = {};
  learner.variables.forEach((v, i) => {
    variables[learner.variableKeys[i]] = { shape: [...v.shape], values: Array.from(v.dataSync()) };
  });
  const architecture = learner.model.architecture;
  return {
    format: CHECKPOINT_FORMAT,
    kind: learner.kind,
    options: { ...learner.options },
    loss: lossName(learner.loss),
    ...(architecture
      ? { architecture: { sizes: [...architecture.sizes], activation: architecture.activation } }
      : {}),
    iteration,
    variables,
  };
}

/**
 * Throws a `TypeError` naming the option when the checkpoint's options (validated as its kind's,
 * defaults filled in; errors name `checkpoint.options.<field>`) differ from the learner's in
 * anything but `seed`.
 */
function checkOptions(learner: MetaLearner, c: Checkpoint): void {
  const saved = parseLearnerOptions(c.kind, c.options, "checkpoint.options");
  const own = learner.options;
  for (const key of new Set([...Object.keys(saved), ...Object.keys(own)])) {
    if (key === "seed" || saved[key] === own[key]) continue;
    throw new TypeError(
      `checkpoint.options.${key}: ${JSON.stringify(saved[key])}, but the learner has ` +
        `${JSON.stringify(own[key])} (restore keeps the learner's options and writes only the ` +
        "meta-parameters, which were trained under the checkpoint's: build the learner with " +
        "them, as fromCheckpoint does)",
    );
  }
}

/**
 * Throws a `TypeError` naming `checkpoint.architecture` or its field when the checkpoint records
 * a network (an `mlp`'s sizes and activation) that `model` does not repeat.
 */
function checkArchitecture(model: FunctionalModel, c: Checkpoint): void {
  const saved = c.architecture;
  if (saved === undefined) return; // another model, or written before the field existed
  const own = model.architecture;
  if (own === undefined) {
    throw new TypeError(
      `checkpoint.architecture: an mlp with sizes [${saved.sizes}] and activation ` +
        `"${saved.activation}", but the model has no architecture (it was not built by mlp())`,
    );
  }
  if (saved.sizes.join() !== own.sizes.join()) {
    throw new TypeError(
      `checkpoint.architecture.sizes: [${saved.sizes}], but the model has [${own.sizes}]`,
    );
  }
  if (saved.activation !== own.activation) {
    throw new TypeError(
      `checkpoint.architecture.activation: "${saved.activation}", but the model has ` +
        `"${own.activation}"`,
    );
  }
}

/**
 * Overwrites `learner`'s meta-parameters with a checkpoint's (the learner keeps its own loss).
 * Everything is checked before anything is written, so a mismatching checkpoint throws and
 * changes nothing: the kind; the options, which must equal the learner's (a `TypeError` naming
 * the option, e.g. `checkpoint.options.innerLr: 0.01, but the learner has 0.1`: the
 * meta-parameters were trained for the checkpoint's inner rate, steps and order), all but `seed`,
 * which only draws the initial values that restore overwrites; the architecture the checkpoint
 * records (`checkpoint.architecture.activation: "relu", but the model has "tanh"`); every
 * variable's key, shape and value (a value that is not finite in float32, e.g. 1e39, is a
 * `RangeError` naming its key and index).
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
  checkOptions(learner, c);
  checkArchitecture(learner.model, c);
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
    const j = firstNonFinite(entry.values);
    if (j >= 0) {
      throw new RangeError(
        `checkpoint.variables.${keys[i]}.values[${j}]: must be finite in float32, got ` +
          `${entry.values[j]}`,
      );
    }
  });
  learner.variables.forEach((v, i) => {
    const entry = c.variables[keys[i]];
    tf.tidy(() => v.assign(tf.tensor(entry.values, v.shape)));
  });
}

/** Options of {@linkcode fromCheckpoint} and {@linkcode loadCheckpoint}. */
export interface CheckpointLoadOptions {
  /**
   * The learner's loss: required for a checkpoint whose `loss` is `"custom"`; for one naming a
   * built-in loss it may only repeat it; for an old checkpoint without `loss`, the loss to use
   * (default mse).
   */
  loss?: TaskLoss;
}

const LoadOptionsSchema = z.object({ loss: z.unknown().optional() }).strict();

/** The loss to build a learner of checkpoint `c` with (see {@linkcode CheckpointLoadOptions}). */
function checkpointLoss(
  c: Checkpoint,
  given: TaskLoss | undefined,
  label: string,
): TaskLoss | undefined {
  if (c.loss === undefined) return given; // written before the field: mse unless given
  if (c.loss === "custom") {
    if (given === undefined) {
      throw new TypeError(
        `${label}: options.loss: required, checkpoint.loss is "custom" (the learner was saved ` +
          "with a loss other than mse and softmaxCrossEntropy): pass that loss as { loss }",
      );
    }
    return given;
  }
  const builtin = BUILTIN_LOSSES[c.loss];
  if (given !== undefined && given !== builtin) {
    throw new TypeError(
      `${label}: options.loss: contradicts checkpoint.loss "${c.loss}" (pass ${c.loss} or ` +
        "no loss)",
    );
  }
  return builtin;
}

/**
 * A new learner of the checkpoint's kind, options and loss on `model`, with its meta-parameters.
 * The loss is the built-in one the checkpoint names; a custom loss (`"custom"`) is passed in
 * `options.loss`; a checkpoint without `loss` (written before the field existed) gets
 * `options.loss`, else mse. A `model` that is not a functional model is an error naming it
 * (`fromCheckpoint: model: ...`, as the learner constructors check it).
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
export function fromCheckpoint(
  data: unknown,
  model: FunctionalModel,
  options: CheckpointLoadOptions = {},
): MetaLearner {
  return build(data, model, options, "fromCheckpoint");
}

function build(
  data: unknown,
  model: FunctionalModel,
  options: CheckpointLoadOptions,
  label: string,
): MetaLearner {
  parseOrThrow(LoadOptionsSchema, options, `${label}: options`);
  const c = parseOrThrow(CheckpointSchema, data, "checkpoint") as Checkpoint;
  const loss = checkpointLoss(c, options.loss, label);
  const saved = parseLearnerOptions(c.kind, c.options, "checkpoint.options");
  checkFunctionalModel(model, saved.seed as number, `${label}: model`);
  checkArchitecture(model, c);
  const learner = createLearner(c.kind, model, loss === undefined ? saved : { ...saved, loss });
  try {
    restore(learner, c);
  } catch (error) {
    learner.dispose();
    throw error;
  }
  return learner;
}

/**
 * Writes a checkpoint of `learner` to `path` as JSON; a file that cannot be written (e.g. a
 * missing directory) is an `Error` starting `saveCheckpoint: cannot write <path>: `.
 *
 * @example
 * ```ts ignore
 * import { MAML, mlp, saveCheckpoint } from "./mod.ts";
 * saveCheckpoint("/tmp/maml.json", new MAML(mlp({ sizes: [1, 8, 1] })), 0);
 * ```
 */
export function saveCheckpoint(path: string, learner: MetaLearner, iteration: number): void {
  const json = JSON.stringify(checkpoint(learner, iteration));
  try {
    writeFileSync(path, json);
  } catch (error) {
    throw new Error(`saveCheckpoint: cannot write ${path}: ${(error as Error).message}`);
  }
}

/**
 * Reads a checkpoint file and builds the learner on `model` (see {@linkcode fromCheckpoint};
 * `options.loss` is needed for a checkpoint of a custom loss).
 *
 * @example
 * ```ts ignore
 * import { loadCheckpoint, mlp } from "./mod.ts";
 * const learner = loadCheckpoint("/tmp/maml.json", mlp({ sizes: [1, 8, 1] }));
 * ```
 */
export function loadCheckpoint(
  path: string,
  model: FunctionalModel,
  options: CheckpointLoadOptions = {},
): MetaLearner {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`loadCheckpoint: cannot read ${path}: ${(error as Error).message}`);
  }
  return build(data, model, options, "loadCheckpoint");
}
