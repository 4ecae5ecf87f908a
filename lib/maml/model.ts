/**
 * Functional models: a model is a pure function of a list of parameter tensors and an input.
 *
 * Every learner in this folder adapts a whole meta-batch of tasks at once, so `forward` receives
 * parameters with a leading task axis (`[T, ...shape]`) and inputs shaped `[T, N, inputDim]`;
 * it returns `[T, N, outputDim]`. Initial values are generated in JavaScript from a seeded
 * {@linkcode Rng}, so a seed gives the same parameters on every backend.
 *
 * @module
 */
import { tf } from "../deps/tf.ts";
import { z } from "../deps/zod.ts";
import { Rng } from "../random/rng.ts";
import { batchMatMul } from "./matmul.ts";
import type { DenseArchitecture } from "./fused.ts";
import { parseOrThrow } from "../validate.ts";

/**
 * A model in functional form (the contract every learner relies on; implement it for your own
 * architectures).
 *
 * @example
 * ```ts
 * import { tf } from "../deps/tf.ts";
 * import type { FunctionalModel } from "./model.ts";
 * // y = w·x + b, batched over tasks: params [w: [T,1,1], b: [T,1]]. Without parameterGradients
 * // it serves the first-order learners (fomaml, reptile, pretrained, firstOrder: true) only.
 * const linear: FunctionalModel = {
 *   inputDim: 1,
 *   outputDim: 1,
 *   paramShapes: [[1, 1], [1]],
 *   headIndices: [0, 1],
 *   init: () => [new Float32Array([0]), new Float32Array([0])],
 *   forward: ([w, b], x) => tf.add(tf.matMul(x, w), tf.expandDims(b, 1)),
 * };
 * ```
 */
export interface FunctionalModel {
  /** Width of one input row. */
  readonly inputDim: number;
  /** Width of one output row. */
  readonly outputDim: number;
  /** Shape of each parameter tensor, without the task axis. */
  readonly paramShapes: readonly (readonly number[])[];
  /** Indices of the parameters forming the head (the only ones ANIL adapts). */
  readonly headIndices: readonly number[];
  /** Initial parameter values (row-major, float32), drawn from `rng`. */
  init(rng: Rng): Float32Array[];
  /** Predictions `[T, N, outputDim]` from parameters `[T, ...shape]` and inputs `[T, N, inputDim]`. */
  forward(params: readonly tf.Tensor[], x: tf.Tensor3D): tf.Tensor3D;
  /**
   * Optional hand-written backpropagation: the gradient of each task's loss with respect to its
   * parameters (`[T, ...shape]` each), given the loss's gradient with respect to the predictions.
   * It must be built from ordinary tfjs ops so that it can itself be differentiated: tfjs 4.22
   * cannot differentiate its own gradients exactly (a kernel gradient that reads saved inputs or
   * outputs, e.g. those of tanh or matMul, is cut from the tape), so exact second-order
   * meta-gradients need this method. Without it the inner loop falls back to `tf.grads`, which is
   * exact for the first-order learners (FOMAML, Reptile, evaluation) only: the second-order
   * learners (MAML, and ANIL, Meta-SGD and learned-hp without `firstOrder: true`) throw a
   * `TypeError` naming it when they are created.
   */
  parameterGradients?(
    params: readonly tf.Tensor[],
    x: tf.Tensor3D,
    outputGradient: (prediction: tf.Tensor3D) => tf.Tensor3D,
  ): tf.Tensor[];
  /**
   * Optional description of a fully connected network with these parameters (set by
   * {@linkcode mlp}); with it, learners compute meta-gradients with the fused engine of
   * `fused.ts` instead of tensor operations.
   */
  readonly architecture?: DenseArchitecture;
}

const positiveInt = z.number().int().positive();

/**
 * The shape of a {@linkcode FunctionalModel}: widths, parameter shapes and head indices in range,
 * `init` and `forward` functions. Used by every learner constructor (through
 * {@linkcode checkFunctionalModel}) so that a wrong argument is named before any tensor exists.
 */
const functionalModelSchema = z.custom<FunctionalModel>(
  (m) => m !== null && typeof m === "object",
  { message: "must be a FunctionalModel (e.g. mlp({ sizes: [1, 40, 40, 1] }))" },
).pipe(
  z.object({
    inputDim: positiveInt,
    outputDim: positiveInt,
    paramShapes: z.array(z.array(positiveInt)).min(1, "needs at least one parameter"),
    headIndices: z.array(z.number().int().nonnegative()),
    init: z.custom<FunctionalModel["init"]>((f) => typeof f === "function", {
      message: "must be a function (rng) => Float32Array[]",
    }),
    forward: z.custom<FunctionalModel["forward"]>((f) => typeof f === "function", {
      message: "must be a function (params, x) => predictions",
    }),
    parameterGradients: z.custom<NonNullable<FunctionalModel["parameterGradients"]>>(
      (f) => typeof f === "function",
      { message: "must be a function when given" },
    ).optional(),
  }).loose().superRefine((m, ctx) => {
    m.headIndices.forEach((h, i) => {
      if (h >= m.paramShapes.length) {
        ctx.addIssue({
          code: "custom",
          path: ["headIndices", i],
          message: `${h} is not a parameter index (the model has ${m.paramShapes.length})`,
        });
      }
    });
  }),
) as unknown as z.ZodType<FunctionalModel>;

/**
 * Checks that `model` is a {@linkcode FunctionalModel} and that `model.init(new Rng(seed))` gives
 * one finite Float32Array per parameter, each as long as its shape says; returns those initial
 * values. Errors name the argument (`label`) and the parameter, with expected and actual sizes,
 * and are thrown before any tensor is allocated.
 *
 * @throws {TypeError} for something that is not a functional model or an `init` result of the
 * wrong type; `RangeError` for a wrong count, a wrong size or a non-finite initial value.
 * @example
 * ```ts
 * import { checkFunctionalModel, mlp } from "./model.ts";
 * const values = checkFunctionalModel(mlp({ sizes: [1, 8, 1] }), 0, "model");
 * values.map((v) => v.length); // [8, 8, 8, 1]
 * ```
 */
export function checkFunctionalModel(model: unknown, seed: number, label: string): Float32Array[] {
  const m = parseOrThrow(functionalModelSchema, model, label);
  let values: unknown;
  try {
    values = m.init(new Rng(seed));
  } catch (error) {
    throw new Error(`${label}.init: threw ${(error as Error)?.message ?? String(error)}`);
  }
  const shapes = m.paramShapes;
  if (!Array.isArray(values)) {
    throw new TypeError(
      `${label}.init: must return an array of Float32Array, got ${typeof values}`,
    );
  }
  if (values.length !== shapes.length) {
    throw new RangeError(
      `${label}.init: returned ${values.length} parameter(s), paramShapes has ${shapes.length}`,
    );
  }
  return values.map((v: unknown, i) => {
    const shape = `[${shapes[i].join(", ")}]`;
    const expected = shapes[i].reduce((a, b) => a * b, 1);
    if (!(v instanceof Float32Array) && !(v instanceof Float64Array) && !Array.isArray(v)) {
      throw new TypeError(
        `${label}.init: parameter ${i} (theta.${i}, shape ${shape}) must be a Float32Array`,
      );
    }
    const array = v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
    if (array.length !== expected) {
      throw new RangeError(
        `${label}.init: parameter ${i} (theta.${i}) has ${array.length} value(s), ` +
          `expected ${expected} for shape ${shape}`,
      );
    }
    const bad = array.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      throw new RangeError(
        `${label}.init: parameter ${i} (theta.${i}) has the non-finite value ${
          array[bad]
        } at ${bad}`,
      );
    }
    return array;
  });
}

/**
 * `z + b` for task-batched pre-activations `z` `[T, K, out]` and biases `b` `[T, out]`: on the `cpu`
 * backend by one loop (tfjs 4.22's cpu Add takes its per-element index arithmetic path for a
 * broadcast), with the value (each sum rounded to float32, as the kernel does) and the gradients
 * (`dy` and `sum(dy, 1)`, as `tf.add` of `tf.expandDims(b, 1)` gives) of that add; elsewhere
 * `tf.add` itself.
 */
function addBias(z: tf.Tensor3D, b: tf.Tensor2D): tf.Tensor3D {
  if (tf.getBackend() !== "cpu") return tf.add(z, tf.expandDims(b, 1)) as tf.Tensor3D;
  return cpuBiasAdd(z, b);
}

const cpuBiasAdd = tf.customGrad((z, b) => {
  const [tasks, rows, cols] = (z as tf.Tensor3D).shape;
  const zv = (z as tf.Tensor3D).dataSync() as Float32Array;
  const bv = (b as tf.Tensor2D).dataSync() as Float32Array;
  const out = new Float32Array(zv.length);
  for (let t = 0; t < tasks; t++) {
    for (let r = 0; r < rows; r++) {
      const o = (t * rows + r) * cols;
      for (let c = 0; c < cols; c++) out[o + c] = zv[o + c] + bv[t * cols + c];
    }
  }
  return {
    value: tf.tensor3d(out, [tasks, rows, cols]),
    gradFunc: (dy: tf.Tensor) => [tf.reshape(dy, [tasks, rows, cols]), tf.sum(dy, 1)],
  };
}) as (z: tf.Tensor3D, b: tf.Tensor2D) => tf.Tensor3D;

/** Hidden-layer activations of {@linkcode mlp}. */
export type Activation = "relu" | "tanh" | "sigmoid" | "elu";

/**
 * Weight initialisations of {@linkcode mlp}; biases start at zero.
 * - `"uniform-fan-in"`: U(−1/√fan_in, 1/√fan_in), PyTorch's `kaiming_uniform_(a=√5)` for
 *   `nn.Linear` (the PyTorch MAML peer's initialisation).
 * - `"glorot-uniform"`: U(−√(6/(fan_in+fan_out)), +…).
 * - `"he-normal"`: N(0, 2/fan_in).
 */
export type Init = "uniform-fan-in" | "glorot-uniform" | "he-normal";

/** Options of {@linkcode mlp}. */
export interface MlpOptions {
  /** Layer widths from input to output, e.g. `[1, 40, 40, 1]`; at least two entries. */
  sizes: readonly number[];
  /** Hidden activation (default `"relu"`). */
  activation?: Activation;
  /** Weight initialisation (default `"uniform-fan-in"`). */
  init?: Init;
}

const MlpOptionsSchema = z.object({
  sizes: z.array(z.number().int().positive()).min(2),
  activation: z.enum(["relu", "tanh", "sigmoid", "elu"]).default("relu"),
  init: z.enum(["uniform-fan-in", "glorot-uniform", "he-normal"]).default("uniform-fan-in"),
}).strict();

/**
 * A fully connected network in functional form: parameters `[W₁, b₁, …, W_L, b_L]` with
 * `W_l: [in, out]`, `b_l: [out]`; the activation follows every layer but the last (linear
 * output); the last layer is the head.
 *
 * @example
 * ```ts
 * import { mlp } from "./model.ts";
 * import { Rng } from "../random/rng.ts";
 * const model = mlp({ sizes: [1, 40, 40, 1] }); // Finn et al.'s sinusoid regressor
 * const values = model.init(new Rng(0)); // six Float32Arrays
 * ```
 */
export function mlp(options: MlpOptions): FunctionalModel {
  const { sizes, activation, init } = parseOrThrow(MlpOptionsSchema, options, "mlp");
  const shapes: number[][] = [];
  for (let l = 0; l + 1 < sizes.length; l++) shapes.push([sizes[l], sizes[l + 1]], [sizes[l + 1]]);
  const layers = sizes.length - 1;
  const act = (h: tf.Tensor3D): tf.Tensor3D => {
    switch (activation) {
      case "relu":
        return tf.relu(h);
      case "tanh":
        return tf.tanh(h);
      case "sigmoid":
        return tf.sigmoid(h);
      case "elu":
        return tf.elu(h);
    }
  };
  // The derivative of the activation from its input z and output h, with differentiable ops
  // (tf.step's own gradient is zero, exact almost everywhere for ReLU).
  const derivative = (z: tf.Tensor3D, h: tf.Tensor3D): tf.Tensor3D => {
    switch (activation) {
      case "relu":
        return tf.step(z);
      case "tanh":
        return tf.sub(1, tf.square(h));
      case "sigmoid":
        return tf.mul(h, tf.sub(1, h));
      case "elu": {
        const positive = tf.step(z);
        return tf.add(positive, tf.mul(tf.sub(1, positive), tf.add(h, 1)));
      }
    }
  };
  const run = (params: readonly tf.Tensor[], x: tf.Tensor3D) => {
    const inputs: tf.Tensor3D[] = [x];
    const preActivations: tf.Tensor3D[] = [];
    let h = x;
    for (let l = 0; l < layers; l++) {
      const w = params[2 * l] as tf.Tensor3D;
      const b = params[2 * l + 1] as tf.Tensor2D;
      const z = addBias(batchMatMul(h, w), b);
      preActivations.push(z);
      h = l + 1 < layers ? act(z) : z;
      if (l + 1 < layers) inputs.push(h);
    }
    return { inputs, preActivations, output: h };
  };
  return {
    inputDim: sizes[0],
    outputDim: sizes[layers],
    paramShapes: shapes,
    headIndices: [2 * layers - 2, 2 * layers - 1],
    architecture: { sizes: [...sizes], activation },
    init(rng: Rng): Float32Array[] {
      return shapes.map((shape) => {
        const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
        if (shape.length === 1) return values;
        const [fanIn, fanOut] = shape;
        for (let i = 0; i < values.length; i++) {
          if (init === "he-normal") values[i] = rng.normal() * Math.sqrt(2 / fanIn);
          else {
            const bound = init === "glorot-uniform"
              ? Math.sqrt(6 / (fanIn + fanOut))
              : 1 / Math.sqrt(fanIn);
            values[i] = rng.uniformIn(-bound, bound);
          }
        }
        return values;
      });
    },
    forward(params: readonly tf.Tensor[], x: tf.Tensor3D): tf.Tensor3D {
      return run(params, x).output;
    },
    parameterGradients(params, x, outputGradient): tf.Tensor[] {
      const { inputs, preActivations, output } = run(params, x);
      const grads: tf.Tensor[] = new Array(params.length);
      let delta = outputGradient(output);
      for (let l = layers - 1; l >= 0; l--) {
        grads[2 * l] = batchMatMul(inputs[l], delta, true, false);
        grads[2 * l + 1] = tf.sum(delta, 1);
        if (l > 0) {
          const back = batchMatMul(delta, params[2 * l] as tf.Tensor3D, false, true);
          delta = tf.mul(back, derivative(preActivations[l - 1], inputs[l]));
        }
      }
      return grads;
    },
  };
}
