/**
 * Internal: the compact limited-memory BFGS matrix of Byrd, Nocedal and Schnabel (1994),
 * `B = θI − W M Wᵀ` with `W = [Y, θS]` (n × 2k) and `M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹` (2k × 2k),
 * as used by L-BFGS-B. Rows of `W` are built on demand; `M` is recomputed after every update,
 * which costs O(k²n + k³) and keeps the stored pairs the only state.
 *
 * @module
 */
import { dot, invertDense, matVec } from "../linalg/mod.ts";

/** The `k` most recent correction pairs `(s, y)` and the matrices derived from them. */
export class LimitedMemory {
  readonly dim: number;
  readonly capacity: number;
  /** The scaling `θ = yᵀy / sᵀy` of the newest pair (1 when empty). */
  theta = 1;
  #s: Float64Array[] = [];
  #y: Float64Array[] = [];
  #middle: Float64Array = new Float64Array(0);

  constructor(dim: number, capacity: number) {
    this.dim = dim;
    this.capacity = capacity;
  }

  /** Number of stored pairs `k`; `W` has `2k` columns. */
  get size(): number {
    return this.#s.length;
  }

  /** Forgets every pair (the matrix becomes the identity). */
  reset(): void {
    this.#s = [];
    this.#y = [];
    this.theta = 1;
    this.#middle = new Float64Array(0);
  }

  /**
   * Adds the pair `(s, y)` unless its curvature `sᵀy` is not safely positive (then `B` would not be
   * positive definite). Returns whether the pair was stored.
   */
  update(s: Float64Array, y: Float64Array): boolean {
    const sy = dot(s, y);
    const yy = dot(y, y);
    if (!(sy > Number.EPSILON * yy) || !Number.isFinite(yy)) return false;
    const previous = { s: this.#s, y: this.#y, theta: this.theta, middle: this.#middle };
    this.#s = [...this.#s, s.slice()].slice(-this.capacity);
    this.#y = [...this.#y, y.slice()].slice(-this.capacity);
    this.theta = yy / sy;
    const middle = this.#computeMiddle();
    if (middle === undefined) {
      this.#s = previous.s;
      this.#y = previous.y;
      this.theta = previous.theta;
      this.#middle = previous.middle;
      return false;
    }
    this.#middle = middle;
    return true;
  }

  /** Writes row `i` of `W = [Y, θS]` into `out` (length `2k`). */
  row(i: number, out: Float64Array): Float64Array {
    const k = this.size;
    for (let j = 0; j < k; j++) {
      out[j] = this.#y[j][i];
      out[k + j] = this.theta * this.#s[j][i];
    }
    return out;
  }

  /** `M v` for a vector of length `2k`, written into `out`. */
  multiplyMiddle(v: Float64Array, out: Float64Array): Float64Array {
    const n = 2 * this.size;
    return matVec(this.#middle, n, n, v, out);
  }

  /** The `2k × 2k` matrix `M`, row-major. */
  get middle(): Float64Array {
    return this.#middle;
  }

  #computeMiddle(): Float64Array | undefined {
    const k = this.size;
    const n = 2 * k;
    const inner = new Float64Array(n * n);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const sy = dot(this.#s[i], this.#y[j]);
        if (i === j) inner[i * n + j] = -sy;
        // L holds sᵢᵀyⱼ for i > j: block (2,1) is L, block (1,2) is Lᵀ.
        if (i > j) {
          inner[(k + i) * n + j] = sy;
          inner[j * n + (k + i)] = sy;
        }
        inner[(k + i) * n + (k + j)] = this.theta * dot(this.#s[i], this.#s[j]);
      }
    }
    return invertDense(inner, n);
  }
}
