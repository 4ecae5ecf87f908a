/**
 * The neural feature map shared by the model-based transfer surrogates that learn one (ABLR,
 * {@link https://proceedings.neurips.cc/paper/2018/hash/14c879f3f5d8ed93a09f6090d77c2cc3-Abstract.html Perrone et al. 2018};
 * FSBO's deep kernel, Wistuba & Grabocka 2021): a fully connected network with one hidden tanh
 * layer and a tanh output layer,
 *
 *     h = tanh(W₁x + b₁) ∈ ℝᴴ,   φ(x) = tanh(W₂h + b₂) ∈ ℝᴰ,
 *
 * in plain Float64 arrays: the forward pass, the backward pass from ∂L/∂Φ to the parameters, the
 * Jacobian ∂φ/∂x (for acquisition gradients) and the initial weights. Parameters are packed as
 * W₁ (H×d, row-major), b₁ (H), W₂ (D×H), b₂ (D).
 *
 * @module
 */
import type { Rng } from "../random/rng.ts";

/** Shape of the feature network: input dimension, hidden units, features. */
export interface FeatureMapShape {
  /** Input dimension d. */
  readonly dim: number;
  /** Hidden units H. */
  readonly hidden: number;
  /** Features D. */
  readonly features: number;
}

/**
 * Number of network parameters: W1 (H×d), b1 (H), W2 (D×H), b2 (D).
 *
 * @example
 * ```ts
 * import { networkSize } from "./feature_map.ts";
 * networkSize({ dim: 2, hidden: 3, features: 4 }); // 3·2 + 3 + 4·3 + 4 = 25
 * ```
 */
export function networkSize(shape: FeatureMapShape): number {
  const { dim, hidden, features } = shape;
  return hidden * dim + hidden + features * hidden + features;
}

/**
 * Initial weights of a network of `shape`: Glorot-style normal weights (doubled on the first
 * layer) and first-layer biases of standard deviation 0.5 that spread the hidden units over the
 * unit cube; zero output biases. Draws `networkSize`-many normals minus the output biases from
 * `rng`, in parameter order.
 *
 * @example
 * ```ts
 * import { initialNetwork, networkSize } from "./feature_map.ts";
 * import { Rng } from "../random/rng.ts";
 * const shape = { dim: 2, hidden: 8, features: 4 };
 * initialNetwork(shape, new Rng(0)).length === networkSize(shape); // true
 * ```
 */
export function initialNetwork(shape: FeatureMapShape, rng: Rng, out?: Float64Array): Float64Array {
  const { dim, hidden: H, features: D } = shape;
  const net = out ?? new Float64Array(networkSize(shape));
  for (let i = 0; i < H * dim; i++) net[i] = rng.normal() * Math.sqrt(2 / (dim + H)) * 2;
  for (let u = 0; u < H; u++) net[H * dim + u] = rng.normal() * 0.5;
  const w2 = H * dim + H;
  for (let i = 0; i < D * H; i++) net[w2 + i] = rng.normal() * Math.sqrt(2 / (H + D));
  return net;
}

/**
 * Hidden activations (n×H) and features (n×D) of the network at `points`, row-major.
 *
 * @example
 * ```ts
 * import { featureForward, initialNetwork } from "./feature_map.ts";
 * import { Rng } from "../random/rng.ts";
 * const shape = { dim: 1, hidden: 4, features: 2 };
 * const { phi } = featureForward(initialNetwork(shape, new Rng(1)), shape, [Float64Array.of(0.5)]);
 * phi.length; // 2
 * ```
 */
export function featureForward(
  net: Float64Array,
  shape: FeatureMapShape,
  points: readonly Float64Array[],
): { h: Float64Array; phi: Float64Array } {
  const { dim: d, hidden: H, features: D } = shape;
  const n = points.length;
  const b1 = H * d, w2 = b1 + H, b2 = w2 + D * H;
  const h = new Float64Array(n * H);
  const phi = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    const x = points[i];
    for (let u = 0; u < H; u++) {
      let a = net[b1 + u];
      for (let j = 0; j < d; j++) a += net[u * d + j] * x[j];
      h[i * H + u] = Math.tanh(a);
    }
    for (let f = 0; f < D; f++) {
      let a = net[b2 + f];
      const row = w2 + f * H;
      for (let u = 0; u < H; u++) a += net[row + u] * h[i * H + u];
      phi[i * D + f] = Math.tanh(a);
    }
  }
  return { h, phi };
}

/**
 * Adds ∂L/∂net to `grad` given ∂L/∂Φ (`gPhi`, n×D) and the activations of
 * {@linkcode featureForward} at the same `points`.
 *
 * @example
 * ```ts
 * import { featureBackward, featureForward, initialNetwork, networkSize } from "./feature_map.ts";
 * import { Rng } from "../random/rng.ts";
 * const shape = { dim: 1, hidden: 3, features: 2 };
 * const net = initialNetwork(shape, new Rng(2));
 * const points = [Float64Array.of(0.2)];
 * const { h, phi } = featureForward(net, shape, points);
 * const grad = new Float64Array(networkSize(shape));
 * featureBackward(net, shape, points, h, phi, Float64Array.of(1, 0), grad); // ∂φ₀/∂net
 * ```
 */
export function featureBackward(
  net: Float64Array,
  shape: FeatureMapShape,
  points: readonly Float64Array[],
  h: Float64Array,
  phi: Float64Array,
  gPhi: Float64Array,
  grad: Float64Array,
): void {
  const { dim: d, hidden: H, features: D } = shape;
  const b1 = H * d, w2 = b1 + H, b2 = w2 + D * H;
  const delta2 = new Float64Array(D);
  const gh = new Float64Array(H);
  for (let i = 0; i < points.length; i++) {
    const x = points[i];
    gh.fill(0);
    for (let f = 0; f < D; f++) {
      const p = phi[i * D + f];
      const g = gPhi[i * D + f] * (1 - p * p);
      delta2[f] = g;
      grad[b2 + f] += g;
      const row = w2 + f * H;
      for (let u = 0; u < H; u++) {
        grad[row + u] += g * h[i * H + u];
        gh[u] += g * net[row + u];
      }
    }
    for (let u = 0; u < H; u++) {
      const hu = h[i * H + u];
      const g = gh[u] * (1 - hu * hu);
      grad[b1 + u] += g;
      for (let j = 0; j < d; j++) grad[u * d + j] += g * x[j];
    }
  }
}

/**
 * The Jacobian J = ∂φ/∂x (D×d, row-major) at one point from its activations `h` (H) and `phi`
 * (D): J = diag(1 − φ²) W₂ diag(1 − h²) W₁.
 *
 * @example
 * ```ts
 * import { featureForward, featureJacobian, initialNetwork } from "./feature_map.ts";
 * import { Rng } from "../random/rng.ts";
 * const shape = { dim: 2, hidden: 3, features: 2 };
 * const net = initialNetwork(shape, new Rng(3));
 * const { h, phi } = featureForward(net, shape, [Float64Array.of(0.1, 0.9)]);
 * featureJacobian(net, shape, h, phi).length; // 4
 * ```
 */
export function featureJacobian(
  net: Float64Array,
  shape: FeatureMapShape,
  h: Float64Array,
  phi: Float64Array,
): Float64Array {
  const { dim: d, hidden: H, features: D } = shape;
  const w2 = H * d + H;
  const left = new Float64Array(D * H);
  for (let f = 0; f < D; f++) {
    const s = 1 - phi[f] * phi[f];
    for (let u = 0; u < H; u++) left[f * H + u] = s * net[w2 + f * H + u] * (1 - h[u] * h[u]);
  }
  const jac = new Float64Array(D * d);
  for (let f = 0; f < D; f++) {
    for (let u = 0; u < H; u++) {
      const l = left[f * H + u];
      if (l === 0) continue;
      for (let j = 0; j < d; j++) jac[f * d + j] += l * net[u * d + j];
    }
  }
  return jac;
}
