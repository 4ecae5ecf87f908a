/**
 * Fused meta-gradients of fully connected networks: the whole MAML-family meta-iteration (inner
 * steps, query loss, and the reverse pass through the inner steps) for every task of a
 * meta-batch in one call, as float64 loops over plain arrays, with no tensor operation per layer
 * or per task.
 *
 * For a meta-batch of T tasks with support losses L_s and query losses L_q, the inner rule is
 * θ_{k+1} = θ_k − η_k ⊙ (∇L_s(θ_k) + λθ_k) on the adapted tensors, with η_k = α · s_k (α fixed,
 * learned per tensor or per element; s_k learned step scales; λ weight decay). The meta-loss is
 * (1/T) Σ_t L_q,t(θ_S,t). Its exact gradient is accumulated backwards over the steps with the
 * adjoint v_S = ∇L_q(θ_S)/T:
 *
 * - ∂/∂η_k = −v_{k+1} ⊙ (∇L_s(θ_k) + λθ_k), giving ∂/∂α (× s_k, summed per tensor for a
 *   per-tensor rate), ∂/∂s_k (× α, summed) and ∂/∂λ = −Σ v_{k+1} ⊙ η_k ⊙ θ_k;
 * - v_k = v_{k+1} − λ η_k ⊙ v_{k+1} − H_k (η_k ⊙ v_{k+1}), where H_k is the Hessian of the
 *   support loss at θ_k (zero rows and columns of tensors that do not adapt are kept: ANIL's body
 *   gets its second-order signal through the head's gradient). First-order MAML drops H_k.
 *
 * The Hessian-vector product is Pearlmutter's R-operator (Pearlmutter 1994, "Fast exact
 * multiplication by the Hessian"): a forward-mode pass through the network's forward and
 * backward passes, with the activation's second derivative for tanh, sigmoid and ELU (zero for
 * ReLU). ∇L_q at θ_0 accumulated over tasks is the meta-gradient of θ (the tasks share θ_0).
 *
 * Two losses: the mean squared error (regression; the output Hessian is 2/(N·out) · I) and the
 * softmax cross-entropy of `softmaxCrossEntropy` (classification; ∂L/∂ŷₙ = (pₙ − yₙ)/N with
 * pₙ = softmax(ŷₙ), and the output Hessian of row n is (diag(pₙ) − pₙpₙᵀ)/N).
 *
 * This computes exactly what `tf.grads` of the task-batched inner loop in `inner.ts` computes
 * (the tests compare the two, and both against float64 finite differences), several times faster
 * at the sizes of Finn et al.'s sinusoid protocol, where tfjs's cost per operation dominates.
 *
 * @module
 */
import { Arena, type ArenaKernels, type ReluMask } from "./_axpy.ts";
import { mse, softmaxCrossEntropy, type TaskLoss } from "./inner.ts";
import type { Activation, FunctionalModel } from "./model.ts";
import { nonNegativeIntSchema, parseOrThrow, positiveIntSchema } from "../validate.ts";

/** A fully connected network: layer widths and the hidden activation (linear output). */
export interface DenseArchitecture {
  /** Layer widths from input to output. */
  readonly sizes: readonly number[];
  /** Hidden activation. */
  readonly activation: Activation;
}

/** The task losses the fused engine implements: mean squared error or softmax cross-entropy. */
export type DenseLoss = "mse" | "softmax-ce";

/** A meta-batch as row-major arrays: `x` `[T, N, in]`, `y` `[T, N, out]`. */
export interface DenseSet {
  /** Inputs. */
  readonly x: ArrayLike<number>;
  /** Targets. */
  readonly y: ArrayLike<number>;
  /** Points per task (a positive integer). */
  readonly points: number;
}

/**
 * The inner rule in plain numbers (see the module documentation); `adapts` and `lrs` have one
 * entry per parameter tensor.
 */
export interface DenseRule {
  /** Whether each parameter tensor adapts. */
  readonly adapts: readonly boolean[];
  /** Rate α of each parameter tensor: one number, or one per element (as many as the tensor's). */
  readonly lrs: readonly (number | ArrayLike<number>)[];
  /** Step scales s_k (empty: all 1); steps beyond the last reuse it. */
  readonly stepScales: readonly number[];
  /** Weight decay λ (0: none). */
  readonly weightDecay: number;
}

/** What {@linkcode denseMetaGradient} returns. */
export interface DenseMetaGradient {
  /** Mean query loss of the adapted tasks. */
  readonly loss: number;
  /** ∂/∂θ, one array per parameter tensor. */
  readonly theta: Float64Array[];
  /** ∂/∂α per parameter tensor, element-wise (sum it for a per-tensor rate). */
  readonly lrs: Float64Array[];
  /** ∂/∂s_k per step scale. */
  readonly stepScales: Float64Array;
  /** ∂/∂λ. */
  readonly weightDecay: number;
}

type Arrays = Float64Array[];

/** Buffers of one forward/backward pass of one task. */
interface Pass {
  /** Layer inputs a_l `[N, n_l]` (a_0 = x). */
  a: Arrays;
  /** Pre-activations z_l `[N, n_{l+1}]`. */
  z: Arrays;
  /** Backpropagated errors δ_l = ∂L/∂z_l. */
  delta: Arrays;
  /** δ_l W_lᵀ before the activation derivative (l ≥ 1), kept for σ''. */
  back: Arrays;
  /** Parameter gradients. */
  grads: Arrays;
}

/**
 * A fully connected network's fused meta-gradient engine; buffers are sized once per number of
 * points and reused across tasks and calls.
 *
 * @example
 * ```ts
 * import { DenseEngine } from "./fused.ts";
 * const engine = new DenseEngine({ sizes: [1, 8, 1], activation: "relu" });
 * const theta = [new Float64Array(8).fill(0.5), new Float64Array(8), new Float64Array(8).fill(0.1), new Float64Array(1)];
 * const set = { x: [0.5, -1], y: [1, 0], points: 2 };
 * const g = engine.metaGradient(theta, 1, set, set, {
 *   adapts: [true, true, true, true],
 *   lrs: [0.01, 0.01, 0.01, 0.01],
 *   stepScales: [],
 *   weightDecay: 0,
 * }, { steps: 1 });
 * console.log(g.loss, g.theta.length); // the meta-loss and 4 gradients
 * ```
 */
export class DenseEngine {
  /** The architecture. */
  readonly architecture: DenseArchitecture;
  readonly #sizes: number[];
  readonly #layers: number;
  readonly #shapes: number[]; // element count of each parameter tensor
  readonly #arena: Arena;
  readonly #loss: DenseLoss;

  /**
   * An engine for `architecture` and the task loss `loss` (default `"mse"`); `simd: false`
   * keeps to the JavaScript loops, otherwise the products, the ReLU and the parameter updates
   * run as WebAssembly SIMD where available (`_axpy.ts`), with the same results bit for bit.
   */
  constructor(
    architecture: DenseArchitecture,
    options: { simd?: boolean; loss?: DenseLoss } = {},
  ) {
    const loss = options.loss ?? "mse";
    if (loss !== "mse" && loss !== "softmax-ce") {
      throw new TypeError(
        `DenseEngine: options.loss must be "mse" or "softmax-ce", got ${JSON.stringify(loss)}`,
      );
    }
    this.#loss = loss;
    this.architecture = architecture;
    this.#arena = new Arena(1 << 20, options.simd !== false);
    this.#sizes = [...architecture.sizes];
    this.#layers = this.#sizes.length - 1;
    this.#shapes = [];
    for (let l = 0; l < this.#layers; l++) {
      this.#shapes.push(this.#sizes[l] * this.#sizes[l + 1], this.#sizes[l + 1]);
    }
  }

  /** Number of elements of each parameter tensor. */
  get parameterSizes(): readonly number[] {
    return this.#shapes;
  }

  /**
   * Frees the arena and reserves room for passes over `points` points and `paramArrays`
   * parameter-sized arrays; binds the SIMD kernel for this call.
   */
  #begin(points: readonly number[], paramArrays: number): void {
    const s = this.#sizes;
    const L = this.#layers;
    const total = this.#shapes.reduce((a, b) => a + b, 0);
    const P = this.#shapes.length;
    let width = 0;
    let widest = 0;
    for (let l = 0; l < L; l++) {
      width += 2 * s[l] + 2 * s[l + 1];
      widest = Math.max(widest, s[l] * s[l + 1]);
    }
    // The SIMD product gathers up to max(points, widths) terms of 12 bytes each.
    const terms = 2 * Math.max(...points, ...s);
    let elements = widest + terms + 4;
    for (const n of points) elements += n * width + total + 2 * (4 * L + P);
    elements += paramArrays * (total + 2 * P);
    this.#arena.reset(8 * elements + 65536);
    context.kernels = this.#arena.kernels;
    context.buffer = this.#arena.buffer;
    context.scratch = this.#arena.alloc(widest);
    context.terms = this.#arena.alloc(terms).byteOffset;
    context.transposed.clear();
  }

  /** Arena arrays of the given lengths. */
  #arrays(lengths: readonly number[]): Float64Array[] {
    return lengths.map((n) => this.#arena.alloc(n));
  }

  #pass(points: number): Pass {
    const s = this.#sizes;
    const L = this.#layers;
    const layers = Array.from({ length: L }, (_, l) => l);
    return {
      a: layers.map((l) => this.#arena.alloc(points * s[l])),
      z: layers.map((l) => this.#arena.alloc(points * s[l + 1])),
      delta: layers.map((l) => this.#arena.alloc(points * s[l + 1])),
      back: layers.map((l) => this.#arena.alloc(points * s[l])),
      grads: this.#arrays(this.#shapes),
    };
  }

  /**
   * Transposes the weights W_l (l ≥ 1) of `params`, which must stay unchanged until the call
   * ends, once for the call: every task's support pass and Hessian-vector product multiply by
   * θ₀'s W_lᵀ (and the query pass too for weights that do not adapt).
   */
  #keepTransposes(params: Arrays): void {
    const s = this.#sizes;
    for (let l = 1; l < this.#layers; l++) {
      const wt = this.#arena.alloc(s[l] * s[l + 1]);
      transposeInto(params[2 * l], s[l], s[l + 1], wt);
      context.transposed.set(params[2 * l], wt);
    }
  }

  /** A copy of `theta` in the arena. */
  #copy(theta: readonly ArrayLike<number>[]): Float64Array[] {
    return theta.map((t, i) => {
      const out = this.#arena.alloc(this.#shapes[i]);
      out.set(t);
      return out;
    });
  }

  /**
   * Throws when `set.points` is not a positive integer, or a RangeError when `set.x` or `set.y`
   * holds fewer values than `tasks` tasks of `set.points` points need (a shorter array would
   * leave earlier contents in the buffers).
   */
  #checkSet(name: string, set: DenseSet, tasks: number): void {
    parseOrThrow(positiveIntSchema, set.points, `${name}.points`);
    const fields = [
      ["x", set.x.length, this.#sizes[0], "inputs"],
      ["y", set.y.length, this.#sizes[this.#layers], "outputs"],
    ] as const;
    for (const [field, got, width, unit] of fields) {
      const needs = tasks * set.points * width;
      if (!(got >= needs)) {
        throw new RangeError(
          `${name}.${field}: needs ${needs} values (${tasks} tasks × ${set.points} points × ` +
            `${width} ${unit}), got ${got}`,
        );
      }
    }
  }

  /**
   * Throws, naming the argument, unless `tasks` is a positive integer and `theta` holds one array
   * per parameter tensor, each exactly as long as the tensor (a shorter one would leave earlier
   * contents in the buffers, a longer one belongs to another network). One check per tensor.
   */
  #checkParameters(theta: readonly ArrayLike<number>[], tasks: number): void {
    parseOrThrow(positiveIntSchema, tasks, "tasks");
    const sizes = this.#shapes;
    if (!Array.isArray(theta) || theta.length !== sizes.length) {
      throw new RangeError(
        `theta: needs one array per parameter tensor (${sizes.length}: [W₁, b₁, …]), got ` +
          (Array.isArray(theta) ? theta.length : typeof theta),
      );
    }
    theta.forEach((values, i) => {
      const got = (values as ArrayLike<number> | null)?.length;
      if (got !== sizes[i]) {
        throw new RangeError(
          `theta[${i}]: needs ${sizes[i]} values (${this.#tensorName(i)}), got ${got ?? values}`,
        );
      }
    });
  }

  /**
   * Throws, naming the field, unless `rule.adapts` and `rule.lrs` have one entry per parameter
   * tensor (a boolean; a number, or one rate per element of the tensor), `rule.stepScales` is an
   * array of numbers and `rule.weightDecay` a number. One check per tensor and per step scale;
   * the values themselves are not read.
   */
  #checkRule(rule: DenseRule): void {
    const sizes = this.#shapes;
    for (const field of ["adapts", "lrs", "stepScales"] as const) {
      if (!Array.isArray(rule?.[field])) {
        throw new TypeError(`rule.${field}: must be an array, got ${typeof rule?.[field]}`);
      }
    }
    for (const field of ["adapts", "lrs"] as const) {
      if (rule[field].length !== sizes.length) {
        throw new RangeError(
          `rule.${field}: needs one entry per parameter tensor (${sizes.length}), got ` +
            rule[field].length,
        );
      }
    }
    rule.adapts.forEach((adapts, i) => {
      if (typeof adapts !== "boolean") {
        throw new TypeError(`rule.adapts[${i}]: must be a boolean, got ${typeof adapts}`);
      }
    });
    rule.lrs.forEach((lr, i) => {
      if (typeof lr === "number") return;
      const got = (lr as ArrayLike<number> | null)?.length;
      if (got !== sizes[i]) {
        throw new RangeError(
          `rule.lrs[${i}]: needs a number or ${sizes[i]} rates, one per element of ` +
            `${this.#tensorName(i)}, got ${typeof got === "number" ? `${got} values` : lr}`,
        );
      }
    });
    rule.stepScales.forEach((scale, k) => {
      if (typeof scale !== "number") {
        throw new TypeError(`rule.stepScales[${k}]: must be a number, got ${typeof scale}`);
      }
    });
    if (typeof rule.weightDecay !== "number") {
      throw new TypeError(`rule.weightDecay: must be a number, got ${typeof rule.weightDecay}`);
    }
  }

  /** `W₁ [in, out]`, `b₁ [out]`, …: parameter tensor `i` of the network. */
  #tensorName(i: number): string {
    const l = Math.floor(i / 2);
    const [from, to] = [this.#sizes[l], this.#sizes[l + 1]];
    return i % 2 === 0 ? `layer ${l + 1} weights [${from}, ${to}]` : `layer ${l + 1} bias [${to}]`;
  }

  /** Forward pass of task `t`'s points; returns the output array (z of the last layer). */
  #forward(params: Arrays, set: DenseSet, t: number, pass: Pass): Float64Array {
    const s = this.#sizes;
    const L = this.#layers;
    const n = set.points;
    const a0 = pass.a[0];
    const offset = t * n * s[0];
    const x = set.x;
    if (x instanceof Float32Array || x instanceof Float64Array) {
      a0.set(x.subarray(offset, offset + a0.length)); // one native copy (float32 → float64 is exact)
    } else {
      for (let i = 0; i < a0.length; i++) a0[i] = x[offset + i];
    }
    for (let l = 0; l < L; l++) {
      const z = pass.z[l];
      affine(pass.a[l], n, s[l], params[2 * l], params[2 * l + 1], s[l + 1], z);
      if (l + 1 < L) activate(this.architecture.activation, z, pass.a[l + 1]);
    }
    return pass.z[L - 1];
  }

  /** The engine's task loss (see the module documentation). */
  get loss(): DenseLoss {
    return this.#loss;
  }

  /**
   * The loss of task `t` from the last forward pass, and δ_{L−1} = scale · ∂L/∂ŷ written into
   * `pass.delta`.
   */
  #lossError(set: DenseSet, t: number, pass: Pass, scale: number): number {
    return this.#loss === "mse"
      ? this.#mseError(set, t, pass, scale)
      : this.#crossEntropyError(set, t, pass, scale);
  }

  /**
   * Softmax cross-entropy of task `t` (mean over points) and δ_{L−1} = scale · (p − y)/N; the
   * softmax p replaces nothing in the pass (the Hessian-vector product recomputes it from z).
   */
  #crossEntropyError(set: DenseSet, t: number, pass: Pass, scale: number): number {
    const out = pass.z[this.#layers - 1];
    const delta = pass.delta[this.#layers - 1];
    const k = this.#sizes[this.#layers];
    const n = out.length / k;
    const offset = t * out.length;
    const c = scale / n;
    let sum = 0;
    for (let r = 0; r < n; r++) {
      const row = r * k;
      let max = -Infinity;
      for (let j = 0; j < k; j++) max = Math.max(max, out[row + j]);
      let total = 0;
      for (let j = 0; j < k; j++) total += Math.exp(out[row + j] - max);
      const logTotal = Math.log(total) + max;
      for (let j = 0; j < k; j++) {
        const y = set.y[offset + row + j];
        const logP = out[row + j] - logTotal;
        if (y !== 0) sum -= y * logP;
        delta[row + j] = c * (Math.exp(logP) - y);
      }
    }
    return sum / n;
  }

  /**
   * Mean squared error of task `t` from the last forward pass, and δ_{L−1} = scale · ∂MSE/∂ŷ
   * written into `pass.delta`.
   */
  #mseError(set: DenseSet, t: number, pass: Pass, scale: number): number {
    const out = pass.z[this.#layers - 1];
    const delta = pass.delta[this.#layers - 1];
    const offset = t * out.length;
    let sum = 0;
    const c = (2 / out.length) * scale;
    for (let i = 0; i < out.length; i++) {
      const r = out[i] - set.y[offset + i];
      sum += r * r;
      delta[i] = c * r;
    }
    return sum / out.length;
  }

  /**
   * Backward pass from `pass.delta[L−1]` down to layer `lowest` (default 0): fills the gradients
   * of layers ≥ `lowest` in `pass.grads`, and δ_l and `back` of the layers above it. A support
   * pass needs no more than its first adapted layer (`#lowestAdapted`): ANIL's inner loop reads
   * only the head's gradient, and the Hessian-vector product only the δ of adapted layers and of
   * those above them.
   */
  #backward(params: Arrays, n: number, pass: Pass, lowest = 0): void {
    const s = this.#sizes;
    const act = this.architecture.activation;
    for (let l = this.#layers - 1; l >= lowest; l--) {
      const delta = pass.delta[l];
      transposedProduct(pass.a[l], delta, n, s[l], s[l + 1], pass.grads[2 * l], false);
      columnSums(delta, n, s[l + 1], pass.grads[2 * l + 1], false);
      if (l > lowest) {
        const back = pass.back[l];
        productTransposed(delta, params[2 * l], n, s[l], s[l + 1], back);
        const below = pass.delta[l - 1];
        derivative(act, pass.z[l - 1], pass.a[l], back, below);
      }
    }
  }

  /**
   * The lowest layer with an adapted weight or bias (the top layer when none adapts): support
   * passes backpropagate no further (gradients below it are never read).
   */
  #lowestAdapted(adapts: readonly boolean[]): number {
    for (let l = 0; l < this.#layers; l++) if (adapts[2 * l] || adapts[2 * l + 1]) return l;
    return this.#layers - 1;
  }

  /**
   * Hessian-vector product of the support loss (scaled as in the pass) at the parameters of
   * `pass` in direction `u` (`null` entries are zero), written into `out` (R-operator).
   */
  #hvp(
    params: Arrays,
    n: number,
    pass: Pass,
    u: (Float64Array | null)[],
    r: Pass,
    out: Arrays,
  ): void {
    const s = this.#sizes;
    const L = this.#layers;
    const act = this.architecture.activation;
    // R-forward: Rz_l = Ra_l W_l + a_l U_l + u_b; Ra_{l+1} = σ'(z_l) ⊙ Rz_l. Ra_0 = 0.
    let active = false; // whether Ra_l is non-zero
    for (let l = 0; l < L; l++) {
      const rz = r.z[l];
      const uw = u[2 * l];
      const ub = u[2 * l + 1];
      if (!active && uw === null && ub === null) {
        rz.fill(0);
        continue;
      }
      if (active) productInto(r.a[l], n, s[l], params[2 * l], s[l + 1], rz, false);
      else rz.fill(0);
      if (uw !== null) productInto(pass.a[l], n, s[l], uw, s[l + 1], rz, true);
      if (ub !== null) addRows(rz, n, s[l + 1], ub);
      active = true;
      if (l + 1 < L) activationTangent(act, pass.z[l], pass.a[l + 1], rz, r.a[l + 1]);
    }
    const rDeltaL = r.delta[L - 1];
    const rzL = r.z[L - 1];
    if (this.#loss === "mse") {
      // R-backward: the support pass has δ_{L−1} = c (ŷ − y) with c = 2 / (N · out).
      const c = 2 / rzL.length;
      for (let i = 0; i < rzL.length; i++) rDeltaL[i] = c * rzL[i];
    } else {
      // δ_{L−1} = (p − y)/N row-wise, so Rδ = (p ⊙ Rz − p (pᵀRz))/N with p = softmax(z).
      const k = s[L];
      const zL = pass.z[L - 1];
      const c = 1 / n;
      for (let row = 0; row < rzL.length; row += k) {
        let max = -Infinity;
        for (let j = 0; j < k; j++) max = Math.max(max, zL[row + j]);
        let total = 0;
        for (let j = 0; j < k; j++) {
          const e = Math.exp(zL[row + j] - max);
          rDeltaL[row + j] = e; // p before normalisation
          total += e;
        }
        let dot = 0;
        for (let j = 0; j < k; j++) {
          rDeltaL[row + j] /= total;
          dot += rDeltaL[row + j] * rzL[row + j];
        }
        for (let j = 0; j < k; j++) {
          const p = rDeltaL[row + j];
          rDeltaL[row + j] = c * p * (rzL[row + j] - dot);
        }
      }
    }
    for (let l = L - 1; l >= 0; l--) {
      const rDelta = r.delta[l];
      const gw = out[2 * l];
      // R{gW_l} = Ra_lᵀ δ_l + a_lᵀ Rδ_l; R{gb_l} = Σ_n Rδ_l
      transposedProduct(pass.a[l], rDelta, n, s[l], s[l + 1], gw, false);
      if (l > 0 && this.#raNonZero(u, l)) {
        transposedProduct(r.a[l], pass.delta[l], n, s[l], s[l + 1], gw, true);
      }
      columnSums(rDelta, n, s[l + 1], out[2 * l + 1], false);
      if (l > 0) {
        // Rδ_{l−1} = (Rδ_l W_lᵀ + δ_l U_lᵀ) ⊙ σ'(z_{l−1}) + back_l ⊙ σ''(z_{l−1}) ⊙ Rz_{l−1}
        const tmp = r.back[l];
        productTransposed(rDelta, params[2 * l], n, s[l], s[l + 1], tmp);
        const uw = u[2 * l];
        if (uw !== null) productTransposed(pass.delta[l], uw, n, s[l], s[l + 1], tmp, true);
        const below = r.delta[l - 1];
        derivative(act, pass.z[l - 1], pass.a[l], tmp, below);
        if (act !== "relu" && this.#raNonZero(u, l)) {
          secondDerivativeAdd(act, pass.z[l - 1], pass.a[l], pass.back[l], r.z[l - 1], below);
        }
      }
    }
  }

  /** Whether Ra_l (input of layer l ≥ 1) can be non-zero: some direction below layer l. */
  #raNonZero(u: (Float64Array | null)[], l: number): boolean {
    for (let p = 0; p < 2 * l; p++) if (u[p] !== null) return true;
    return false;
  }

  /**
   * The meta-loss and its exact gradient with respect to θ, the rates, the step scales and the
   * weight decay, for `tasks` tasks (see the module documentation); `ruleGradients: false` skips
   * the last three (returned as zeros) when none of them is learned. `theta` is one array per
   * parameter tensor (`[W₁, b₁, …]`, row-major `W: [in, out]`). An argument of the wrong size or
   * type is an error naming it (`theta[0]`, `rule.lrs[2]`, `options.steps`, `support.x`, …):
   * `tasks` and `options.steps` are integers (≥ 1 and ≥ 0), `theta` and the rule's per-element
   * rates as long as their tensors, `rule.adapts` and `rule.lrs` one entry per tensor.
   */
  metaGradient(
    theta: readonly ArrayLike<number>[],
    tasks: number,
    support: DenseSet,
    query: DenseSet,
    rule: DenseRule,
    options: { steps: number; firstOrder?: boolean; ruleGradients?: boolean },
  ): DenseMetaGradient {
    try {
      return this.#metaGradient(theta, tasks, support, query, rule, options);
    } finally {
      unbind();
    }
  }

  #metaGradient(
    theta: readonly ArrayLike<number>[],
    tasks: number,
    support: DenseSet,
    query: DenseSet,
    rule: DenseRule,
    options: { steps: number; firstOrder?: boolean; ruleGradients?: boolean },
  ): DenseMetaGradient {
    this.#checkParameters(theta, tasks);
    this.#checkSet("support", support, tasks);
    this.#checkSet("query", query, tasks);
    this.#checkRule(rule);
    const steps = parseOrThrow(nonNegativeIntSchema, options.steps, "options.steps");
    const firstOrder = options.firstOrder === true;
    // Without learned rule parameters their gradients (zero-filled) are skipped.
    const ruleGradients = options.ruleGradients !== false;
    const P = this.#shapes.length;
    this.#begin([...Array(steps + 1).fill(support.points), query.points], 2 * steps + 6);
    const theta0 = this.#copy(theta);
    this.#keepTransposes(theta0);
    const lrs = rule.lrs.map((lr) => typeof lr === "number" ? lr : Float64Array.from(lr));
    const scales = rule.stepScales;
    const lambda = rule.weightDecay;
    const gradTheta = this.#arrays(this.#shapes); // copied out at the end
    const gradLr = this.#shapes.map((n) => new Float64Array(n));
    const gradScale = new Float64Array(scales.length);
    let gradDecay = 0;
    // Per-step buffers: parameters θ_k (k = 0..S), passes, directions d_k.
    const params: Arrays[] = [theta0];
    for (let k = 1; k <= steps; k++) {
      params.push(theta0.map((p, i) => rule.adapts[i] ? this.#arena.alloc(p.length) : p));
    }
    const passes = Array.from({ length: steps }, () => this.#pass(support.points));
    const directions = Array.from(
      { length: steps },
      () => this.#shapes.map((n, i) => rule.adapts[i] ? this.#arena.alloc(n) : null),
    );
    const queryPass = this.#pass(query.points);
    const rPass = this.#pass(support.points);
    const hv = this.#arrays(this.#shapes);
    const v = this.#arrays(this.#shapes);
    const u: (Float64Array | null)[] = this.#shapes.map((n, i) =>
      rule.adapts[i] ? this.#arena.alloc(n) : null
    );
    const lowest = this.#lowestAdapted(rule.adapts);
    let lossSum = 0;
    for (let t = 0; t < tasks; t++) {
      // Inner loop.
      for (let k = 0; k < steps; k++) {
        const pass = passes[k];
        const current = params[k];
        this.#forward(current, support, t, pass);
        this.#lossError(support, t, pass, 1);
        this.#backward(current, support.points, pass, lowest);
        const next = params[k + 1];
        const scale = scales.length ? scales[Math.min(k, scales.length - 1)] : 1;
        for (let i = 0; i < P; i++) {
          const d = directions[k][i];
          if (d === null) continue;
          const g = pass.grads[i];
          const p = current[i];
          const q = next[i];
          const lr = lrs[i];
          if (typeof lr === "number" && !ruleGradients && lambda === 0) {
            updateInto(p, g, q, lr * scale); // d = g is not needed later
          } else if (typeof lr === "number") {
            const step = lr * scale;
            for (let e = 0; e < d.length; e++) {
              d[e] = g[e] + lambda * p[e];
              q[e] = p[e] - step * d[e];
            }
          } else {
            for (let e = 0; e < d.length; e++) {
              d[e] = g[e] + lambda * p[e];
              q[e] = p[e] - lr[e] * scale * d[e];
            }
          }
        }
      }
      // Query loss and its gradient at θ_S, scaled by 1/T.
      const final = params[steps];
      this.#forward(final, query, t, queryPass);
      lossSum += this.#lossError(query, t, queryPass, 1 / tasks);
      this.#backward(final, query.points, queryPass);
      for (let i = 0; i < P; i++) v[i].set(queryPass.grads[i]);
      // Reverse pass through the inner steps.
      for (let k = steps - 1; k >= 0; k--) {
        const scaleIndex = Math.min(k, scales.length - 1);
        const scale = scales.length ? scales[scaleIndex] : 1;
        const current = params[k];
        for (let i = 0; i < P; i++) {
          const d = directions[k][i];
          const ui = u[i];
          if (d === null || ui === null) continue;
          const vi = v[i];
          const lr = lrs[i];
          if (!ruleGradients && typeof lr === "number") {
            scaleInto(vi, ui, lr * scale);
            continue;
          }
          const p = current[i];
          const gl = gradLr[i];
          let scaleSum = 0;
          let decaySum = 0;
          for (let e = 0; e < d.length; e++) {
            const vd = vi[e] * d[e];
            const alpha = typeof lr === "number" ? lr : lr[e];
            gl[e] -= scale * vd;
            scaleSum -= alpha * vd;
            const step = alpha * scale;
            decaySum -= vi[e] * step * p[e];
            ui[e] = step * vi[e];
          }
          if (scales.length) gradScale[scaleIndex] += scaleSum;
          gradDecay += decaySum;
        }
        if (!firstOrder) {
          this.#hvp(current, support.points, passes[k], u, rPass, hv);
          for (let i = 0; i < P; i++) {
            const vi = v[i];
            updateInto(vi, hv[i], vi, 1); // v − 1·h is v − h exactly
          }
        }
        if (lambda !== 0) {
          for (let i = 0; i < P; i++) {
            const ui = u[i];
            if (ui === null) continue;
            const vi = v[i];
            for (let e = 0; e < vi.length; e++) vi[e] -= lambda * ui[e];
          }
        }
      }
      for (let i = 0; i < P; i++) {
        updateInto(gradTheta[i], v[i], gradTheta[i], -1); // g − (−1)·v is g + v exactly
      }
    }
    return {
      loss: lossSum / tasks,
      theta: gradTheta.map((g) => g.slice()),
      lrs: gradLr,
      stepScales: gradScale,
      weightDecay: gradDecay,
    };
  }

  /**
   * Adapts every task with `steps` steps of the rule (starting at step index `firstStep` for
   * the step scales) and returns the adapted parameters `[T][tensor]`, and each task's loss on
   * `query` after adaptation when given. The arguments are checked as in
   * {@linkcode DenseEngine.metaGradient} (`steps` and `firstStep` are integers ≥ 0).
   */
  adapt(
    theta: readonly ArrayLike<number>[],
    tasks: number,
    support: DenseSet,
    rule: DenseRule,
    steps: number,
    query?: DenseSet,
    firstStep = 0,
  ): { params: Float64Array[][]; queryLoss: Float64Array } {
    try {
      return this.#adapt(theta, tasks, support, rule, steps, query, firstStep);
    } finally {
      unbind();
    }
  }

  #adapt(
    theta: readonly ArrayLike<number>[],
    tasks: number,
    support: DenseSet,
    rule: DenseRule,
    steps: number,
    query: DenseSet | undefined,
    firstStep: number,
  ): { params: Float64Array[][]; queryLoss: Float64Array } {
    this.#checkParameters(theta, tasks);
    this.#checkSet("support", support, tasks);
    if (query) this.#checkSet("query", query, tasks);
    this.#checkRule(rule);
    parseOrThrow(nonNegativeIntSchema, steps, "steps");
    parseOrThrow(nonNegativeIntSchema, firstStep, "firstStep");
    const P = this.#shapes.length;
    this.#begin([support.points, query?.points ?? 0], 2);
    const theta0 = this.#copy(theta);
    const current = this.#copy(theta);
    const pass = this.#pass(support.points);
    const queryPass = query ? this.#pass(query.points) : undefined;
    const out: Float64Array[][] = [];
    const queryLoss = new Float64Array(tasks);
    const scales = rule.stepScales;
    const lowest = this.#lowestAdapted(rule.adapts);
    for (let t = 0; t < tasks; t++) {
      if (t > 0) current.forEach((p, i) => p.set(theta0[i]));
      for (let k = 0; k < steps; k++) {
        const j = firstStep + k;
        const scale = scales.length ? scales[Math.min(j, scales.length - 1)] : 1;
        this.#forward(current, support, t, pass);
        this.#lossError(support, t, pass, 1);
        this.#backward(current, support.points, pass, lowest);
        for (let i = 0; i < P; i++) {
          if (!rule.adapts[i]) continue;
          const g = pass.grads[i];
          const p = current[i];
          const lr = rule.lrs[i];
          for (let e = 0; e < p.length; e++) {
            const alpha = typeof lr === "number" ? lr : lr[e];
            p[e] -= alpha * scale * (g[e] + rule.weightDecay * p[e]);
          }
        }
      }
      if (query && queryPass) {
        this.#forward(current, query, t, queryPass);
        queryLoss[t] = this.#lossError(query, t, queryPass, 1);
      }
      out.push(current.map((p) => p.slice()));
    }
    return { params: out, queryLoss };
  }

  /**
   * Mean loss over tasks at θ (no adaptation) on `sets` (their points pooled per task, as one
   * set) and its gradient: the "pretrained" baseline's objective. `theta` and `tasks` are checked
   * as in {@linkcode DenseEngine.metaGradient}, and `sets` must not be empty.
   */
  pooledGradient(
    theta: readonly ArrayLike<number>[],
    tasks: number,
    sets: readonly DenseSet[],
  ): { loss: number; theta: Float64Array[] } {
    try {
      return this.#pooledGradient(theta, tasks, sets);
    } finally {
      unbind();
    }
  }

  #pooledGradient(
    theta: readonly ArrayLike<number>[],
    tasks: number,
    sets: readonly DenseSet[],
  ): { loss: number; theta: Float64Array[] } {
    this.#checkParameters(theta, tasks);
    if (!Array.isArray(sets) || sets.length === 0) {
      throw new RangeError("sets: needs at least one set");
    }
    sets.forEach((set, i) => this.#checkSet(`sets[${i}]`, set, tasks));
    const inDim = this.#sizes[0];
    const outDim = this.#sizes[this.#layers];
    const points = sets.reduce((n, s) => n + s.points, 0);
    const x = new Float64Array(tasks * points * inDim);
    const y = new Float64Array(tasks * points * outDim);
    for (let t = 0; t < tasks; t++) {
      let row = t * points;
      for (const set of sets) {
        for (let i = 0; i < set.points * inDim; i++) {
          x[row * inDim + i] = set.x[t * set.points * inDim + i];
        }
        for (let i = 0; i < set.points * outDim; i++) {
          y[row * outDim + i] = set.y[t * set.points * outDim + i];
        }
        row += set.points;
      }
    }
    const pooled = { x, y, points };
    this.#begin([points], 1);
    const params = this.#copy(theta);
    const pass = this.#pass(points);
    const grads = this.#shapes.map((n) => new Float64Array(n));
    let loss = 0;
    for (let t = 0; t < tasks; t++) {
      this.#forward(params, pooled, t, pass);
      loss += this.#lossError(pooled, t, pass, 1 / tasks);
      this.#backward(params, points, pass);
      pass.grads.forEach((g, i) => {
        for (let e = 0; e < g.length; e++) grads[i][e] += g[e];
      });
    }
    return { loss: loss / tasks, theta: grads };
  }
}

/** An engine of the cache and the number of unreleased leases on it. */
interface CachedEngine {
  readonly engine: DenseEngine;
  leases: number;
}

/**
 * The engines leased by live learners, one per architecture and loss (an engine keeps no state
 * between calls, so the learners of one architecture share it). An entry leaves with its last
 * lease: each engine owns a WebAssembly memory, which only grows and which the garbage collector
 * reclaims once nothing refers to the engine.
 */
const engines = new Map<string, CachedEngine>();

/** What a lease needs to give itself back; the engine is dropped on release. */
interface LeaseToken {
  readonly key: string;
  entry: CachedEngine | undefined;
}

function giveBack(token: LeaseToken): void {
  const entry = token.entry;
  if (entry === undefined) return;
  token.entry = undefined;
  entry.leases--;
  if (entry.leases === 0 && engines.get(token.key) === entry) engines.delete(token.key);
}

/** Gives back the leases of holders collected without releasing them. */
const unreleased = new FinalizationRegistry<LeaseToken>(giveBack);

/** The cache key and engine options of `model` trained with `loss`, when the engine applies. */
function denseSpec(
  model: FunctionalModel,
  loss: TaskLoss,
): { key: string; architecture: DenseArchitecture; kind: DenseLoss } | undefined {
  const architecture = model.architecture;
  const kind: DenseLoss | undefined = loss === mse
    ? "mse"
    : loss === softmaxCrossEntropy
    ? "softmax-ce"
    : undefined;
  if (architecture === undefined || kind === undefined) return undefined;
  // The parameters must be exactly the network's [W₁ [in, out], b₁ [out], …].
  const sizes = architecture.sizes;
  const shapes = model.paramShapes;
  if (shapes.length !== 2 * (sizes.length - 1)) return undefined;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [w, b] = [shapes[2 * l], shapes[2 * l + 1]];
    if (w.length !== 2 || w[0] !== sizes[l] || w[1] !== sizes[l + 1]) return undefined;
    if (b.length !== 1 || b[0] !== sizes[l + 1]) return undefined;
  }
  const key = `${kind}:${architecture.activation}:${architecture.sizes.join(",")}`;
  return { key, architecture, kind };
}

/**
 * The fused engine of `model` when it applies (a fully connected network, i.e. a model with an
 * `architecture` such as {@linkcode mlp}'s, trained with the mean squared error `mse` or the
 * softmax cross-entropy `softmaxCrossEntropy`), else undefined (another loss: the tape is used).
 * While a live learner of the same architecture and loss holds an engine, that engine is
 * returned; otherwise a new one, which belongs to the caller alone (keep it to reuse its
 * buffers).
 *
 * @example
 * ```ts
 * import { denseEngineFor } from "./fused.ts";
 * import { mse } from "./inner.ts";
 * import { mlp } from "./model.ts";
 * console.log(denseEngineFor(mlp({ sizes: [1, 40, 40, 1] }), mse) !== undefined); // true
 * ```
 */
export function denseEngineFor(
  model: FunctionalModel,
  loss: TaskLoss,
): DenseEngine | undefined {
  const spec = denseSpec(model, loss);
  if (spec === undefined) return undefined;
  return engines.get(spec.key)?.engine ??
    new DenseEngine(spec.architecture, { loss: spec.kind });
}

/** @internal A learner's hold on a shared engine: see {@linkcode leaseDenseEngine}. */
export interface DenseEngineLease {
  /** The engine, shared by every unreleased lease of the same architecture and loss. */
  readonly engine: DenseEngine;
  /** Gives the lease back (again: nothing); the engine leaves the cache with its last lease. */
  release(): void;
}

/**
 * @internal The engine of `model` and `loss` (undefined when {@linkcode denseEngineFor} gives
 * none), taken from the cache or created into it, held until `release()`. Holders of one
 * architecture and loss share one engine; the cache entry, and with it the engine's memory, goes
 * when the last lease is released, or when the last `holder` is garbage collected unreleased.
 */
export function leaseDenseEngine(
  model: FunctionalModel,
  loss: TaskLoss,
  holder: object,
): DenseEngineLease | undefined {
  const spec = denseSpec(model, loss);
  if (spec === undefined) return undefined;
  let entry = engines.get(spec.key);
  if (entry === undefined) {
    entry = { engine: new DenseEngine(spec.architecture, { loss: spec.kind }), leases: 0 };
    engines.set(spec.key, entry);
  }
  entry.leases++;
  const token: LeaseToken = { key: spec.key, entry };
  unreleased.register(holder, token, token);
  return {
    engine: entry.engine,
    release() {
      unreleased.unregister(token);
      giveBack(token);
    },
  };
}

/** @internal Number of engines in the cache (architectures and losses with a live lease). */
export function _engineCacheSize(): number {
  return engines.size;
}

// ---- Small dense kernels on row-major float64 arrays ----

/** The SIMD functions and the arena they read, bound by the engine for the current call. */
const context: {
  kernels: ArenaKernels | undefined;
  buffer: ArrayBufferLike | undefined;
  scratch: Float64Array;
  /** Byte address of the product's scratch for gathered terms. */
  terms: number;
  /** Transposes of weights that stay fixed through the current call (θ₀'s). */
  transposed: Map<Float64Array, Float64Array>;
} = {
  kernels: undefined,
  buffer: undefined,
  scratch: new Float64Array(0),
  terms: 0,
  transposed: new Map(),
};

/** Unbinds the engine of the last call, so that only engines refer to their memories. */
function unbind(): void {
  context.kernels = undefined;
  context.buffer = undefined;
  context.scratch = new Float64Array(0);
  context.terms = 0;
  context.transposed.clear();
}

/**
 * The bound SIMD product (see `_axpy.ts`) on byte addresses and strides, with the engine's
 * scratch for its gathered terms.
 */
function simdProduct(
  x: number,
  xs1: number,
  xs2: number,
  n1: number,
  n2: number,
  src: number,
  ss1: number,
  ss2: number,
  dst: number,
  ds1: number,
  len: number,
): void {
  context.kernels!.product(x, xs1, xs2, n1, n2, src, ss1, ss2, dst, ds1, len, context.terms);
}

/** Whether the SIMD functions are bound and every array lives in the arena. */
function inArena(...arrays: Float64Array[]): boolean {
  if (context.kernels === undefined) return false;
  for (const a of arrays) if (a.buffer !== context.buffer) return false;
  return true;
}

/** The SIMD product when all arrays live in the arena, else undefined (JavaScript loops). */
function simd(...arrays: Float64Array[]): typeof simdProduct | undefined {
  return inArena(...arrays) ? simdProduct : undefined;
}

/** q = p − s·g element-wise (q may be p): SIMD when all three live in the arena. */
function updateInto(p: Float64Array, g: Float64Array, q: Float64Array, s: number): void {
  if (inArena(p, g, q)) {
    context.kernels!.update(p.byteOffset, g.byteOffset, q.byteOffset, q.length, s);
  } else for (let e = 0; e < q.length; e++) q[e] = p[e] - s * g[e];
}

/** out = s·v element-wise: SIMD when both live in the arena. */
function scaleInto(v: Float64Array, out: Float64Array, s: number): void {
  if (inArena(v, out)) context.kernels!.scale(0, v.byteOffset, out.byteOffset, out.length, s);
  else for (let e = 0; e < out.length; e++) out[e] = s * v[e];
}

/** The SIMD ReLU mask when all arrays live in the arena, else undefined (JavaScript loops). */
function simdMask(z: Float64Array, v: Float64Array, out: Float64Array): ReluMask | undefined {
  return inArena(z, v, out) ? context.kernels!.mask : undefined;
}

/** Z = A W + b for A `[n, p]`, W `[p, q]`, b `[q]`. */
function affine(
  a: Float64Array,
  n: number,
  p: number,
  w: Float64Array,
  b: Float64Array,
  q: number,
  z: Float64Array,
): void {
  const kernel = simd(a, w, z);
  if (kernel) {
    for (let r = 0; r < n; r++) z.set(b, r * q);
    kernel(a.byteOffset, 8 * p, 8, n, p, w.byteOffset, 0, 8 * q, z.byteOffset, 8 * q, q);
    return;
  }
  for (let r = 0; r < n; r++) {
    const row = r * q;
    for (let j = 0; j < q; j++) z[row + j] = b[j];
    for (let i = 0; i < p; i++) {
      const v = a[r * p + i];
      if (v === 0) continue;
      const from = i * q;
      for (let j = 0; j < q; j++) z[row + j] += v * w[from + j];
    }
  }
}

/** Z (+)= A W for A `[n, p]`, W `[p, q]`. */
function productInto(
  a: Float64Array,
  n: number,
  p: number,
  w: Float64Array,
  q: number,
  z: Float64Array,
  accumulate: boolean,
): void {
  if (!accumulate) z.fill(0);
  const kernel = simd(a, w, z);
  if (kernel) {
    kernel(a.byteOffset, 8 * p, 8, n, p, w.byteOffset, 0, 8 * q, z.byteOffset, 8 * q, q);
    return;
  }
  for (let r = 0; r < n; r++) {
    const row = r * q;
    for (let i = 0; i < p; i++) {
      const v = a[r * p + i];
      if (v === 0) continue;
      const from = i * q;
      for (let j = 0; j < q; j++) z[row + j] += v * w[from + j];
    }
  }
}

/** Z[r, :] += b for every row. */
function addRows(z: Float64Array, n: number, q: number, b: Float64Array): void {
  for (let r = 0; r < n; r++) {
    const row = r * q;
    for (let j = 0; j < q; j++) z[row + j] += b[j];
  }
}

/** G (+)= Aᵀ D for A `[n, p]`, D `[n, q]`, G `[p, q]`. */
function transposedProduct(
  a: Float64Array,
  d: Float64Array,
  n: number,
  p: number,
  q: number,
  g: Float64Array,
  accumulate: boolean,
): void {
  if (!accumulate) g.fill(0);
  const kernel = simd(a, d, g);
  if (kernel) {
    // u = i (a row of G), v = r (the sum over points)
    kernel(a.byteOffset, 8, 8 * p, p, n, d.byteOffset, 0, 8 * q, g.byteOffset, 8 * q, q);
    return;
  }
  for (let r = 0; r < n; r++) {
    const drow = r * q;
    for (let i = 0; i < p; i++) {
      const v = a[r * p + i];
      if (v === 0) continue;
      const to = i * q;
      for (let j = 0; j < q; j++) g[to + j] += v * d[drow + j];
    }
  }
}

/** Wᵀ `[q, p]` of W `[p, q]` written into `wt`. */
function transposeInto(w: Float64Array, p: number, q: number, wt: Float64Array): void {
  for (let i = 0; i < p; i++) {
    const row = i * q;
    for (let j = 0; j < q; j++) wt[j * p + i] = w[row + j];
  }
}

/**
 * R (+)= D Wᵀ for D `[n, q]`, W `[p, q]`, R `[n, p]`: W is transposed once into a scratch array
 * (or taken from `context.transposed`, where a call keeps the transposes of weights that stay
 * fixed through it) so that the product runs as contiguous row updates that skip D's zeros (ReLU
 * masks half of them), instead of latency-bound dot products.
 */
function productTransposed(
  d: Float64Array,
  w: Float64Array,
  n: number,
  p: number,
  q: number,
  out: Float64Array,
  accumulate = false,
): void {
  let wt = context.transposed.get(w);
  if (wt === undefined) {
    if (context.scratch.length < p * q) context.scratch = new Float64Array(p * q);
    wt = context.scratch;
    transposeInto(w, p, q, wt);
  }
  if (!accumulate) out.fill(0, 0, n * p);
  const kernel = simd(d, wt, out);
  if (kernel) {
    kernel(d.byteOffset, 8 * q, 8, n, q, wt.byteOffset, 0, 8 * p, out.byteOffset, 8 * p, p);
    return;
  }
  for (let r = 0; r < n; r++) {
    const orow = r * p;
    const drow = r * q;
    for (let j = 0; j < q; j++) {
      const v = d[drow + j];
      if (v === 0) continue;
      const from = j * p;
      for (let i = 0; i < p; i++) out[orow + i] += v * wt[from + i];
    }
  }
}

/** g (+)= Σ_rows D for D `[n, q]`. */
function columnSums(
  d: Float64Array,
  n: number,
  q: number,
  g: Float64Array,
  accumulate: boolean,
): void {
  if (!accumulate) g.fill(0);
  for (let r = 0; r < n; r++) {
    const row = r * q;
    for (let j = 0; j < q; j++) g[j] += d[row + j];
  }
}

/** a = σ(z). */
function activate(act: Activation, z: Float64Array, a: Float64Array): void {
  switch (act) {
    case "relu": {
      const mask = simdMask(z, z, a);
      if (mask) mask(z.byteOffset, z.byteOffset, a.byteOffset, z.length);
      else for (let i = 0; i < z.length; i++) a[i] = z[i] > 0 || z[i] !== z[i] ? z[i] : 0; // NaN stays
      return;
    }
    case "tanh":
      for (let i = 0; i < z.length; i++) a[i] = Math.tanh(z[i]);
      return;
    case "sigmoid":
      for (let i = 0; i < z.length; i++) a[i] = 1 / (1 + Math.exp(-z[i]));
      return;
    case "elu":
      for (let i = 0; i < z.length; i++) a[i] = z[i] > 0 ? z[i] : Math.expm1(z[i]);
      return;
  }
}

/** σ'(z) from z and a = σ(z). */
function slope(act: Activation, z: number, a: number): number {
  switch (act) {
    case "relu":
      return z > 0 ? 1 : 0;
    case "tanh":
      return 1 - a * a;
    case "sigmoid":
      return a * (1 - a);
    case "elu":
      return z > 0 ? 1 : a + 1;
  }
}

/** σ''(z) from z and a = σ(z). */
function curvature(act: Activation, z: number, a: number): number {
  switch (act) {
    case "relu":
      return 0;
    case "tanh":
      return -2 * a * (1 - a * a);
    case "sigmoid":
      return a * (1 - a) * (1 - 2 * a);
    case "elu":
      return z > 0 ? 0 : a + 1;
  }
}

/** out = v ⊙ σ'(z). */
function derivative(
  act: Activation,
  z: Float64Array,
  a: Float64Array,
  v: Float64Array,
  out: Float64Array,
): void {
  if (act === "relu") {
    const mask = simdMask(z, v, out);
    if (mask) mask(z.byteOffset, v.byteOffset, out.byteOffset, z.length);
    else for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? v[i] : z[i] !== z[i] ? z[i] : 0;
    return;
  }
  for (let i = 0; i < z.length; i++) out[i] = v[i] * slope(act, z[i], a[i]);
}

/** out = σ'(z) ⊙ rz (tangent of the activation). */
function activationTangent(
  act: Activation,
  z: Float64Array,
  a: Float64Array,
  rz: Float64Array,
  out: Float64Array,
): void {
  derivative(act, z, a, rz, out);
}

/** out += back ⊙ σ''(z) ⊙ rz. */
function secondDerivativeAdd(
  act: Activation,
  z: Float64Array,
  a: Float64Array,
  back: Float64Array,
  rz: Float64Array,
  out: Float64Array,
): void {
  for (let i = 0; i < z.length; i++) out[i] += back[i] * curvature(act, z[i], a[i]) * rz[i];
}
