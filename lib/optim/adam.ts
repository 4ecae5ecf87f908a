/**
 * Adam (Kingma & Ba 2015, "Adam: A method for stochastic optimization", ICLR) on plain Float64
 * parameter vectors, for the stochastic objectives that L-BFGS-B does not suit (mini-batches of
 * tasks): with gradient g at step t,
 *
 *     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,
 *     x ← x − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
 *
 * @module
 */

/**
 * The state of one Adam run over a parameter vector of fixed length: the moment estimates and the
 * step count. {@linkcode AdamState.step} updates the parameters in place.
 *
 * @example
 * ```ts
 * import { AdamState } from "./adam.ts";
 * const x = Float64Array.of(3);
 * const adam = new AdamState(1);
 * for (let t = 0; t < 500; t++) adam.step(x, Float64Array.of(2 * x[0]), 0.05); // f = x²
 * Math.abs(x[0]) < 0.05; // true
 * ```
 */
export class AdamState {
  /** First-moment estimate. */
  readonly m: Float64Array;
  /** Second-moment estimate. */
  readonly v: Float64Array;
  /** Steps taken. */
  t = 0;
  readonly #beta1: number;
  readonly #beta2: number;
  readonly #epsilon: number;

  /** A fresh state for `size` parameters (β₁ = 0.9, β₂ = 0.999, ε = 1e-8 by default). */
  constructor(size: number, options: { beta1?: number; beta2?: number; epsilon?: number } = {}) {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`AdamState.size: must be an integer ≥ 0, got ${size}`);
    }
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
    this.#beta1 = options.beta1 ?? 0.9;
    this.#beta2 = options.beta2 ?? 0.999;
    this.#epsilon = options.epsilon ?? 1e-8;
  }

  /** One step of size `learningRate` along the gradient `gradient`, updating `x` in place. */
  step(x: Float64Array, gradient: Float64Array, learningRate: number): void {
    if (x.length !== this.m.length || gradient.length !== this.m.length) {
      throw new RangeError(
        `AdamState.step: x and gradient must have ${this.m.length} entries (got ${x.length} and ${gradient.length})`,
      );
    }
    this.t++;
    const b1 = this.#beta1, b2 = this.#beta2;
    const c1 = 1 - b1 ** this.t, c2 = 1 - b2 ** this.t;
    for (let i = 0; i < x.length; i++) {
      const g = gradient[i];
      this.m[i] = b1 * this.m[i] + (1 - b1) * g;
      this.v[i] = b2 * this.v[i] + (1 - b2) * g * g;
      x[i] -= learningRate * (this.m[i] / c1) / (Math.sqrt(this.v[i] / c2) + this.#epsilon);
    }
  }
}
