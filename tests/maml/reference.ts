/**
 * Float64 re-computation, in plain JavaScript, of the MAML meta-loss of a one-hidden-layer tanh
 * network (hand-written backpropagation for the inner step), for finite-difference checks of
 * the tfjs meta-gradients.
 */

/** Parameters [W1 (1×H), b1 (H), W2 (H×1), b2 (1)] flattened as in `mlp({ sizes: [1, H, 1] })`. */
export interface TinyNet {
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: number;
}

export function unpack(flat: Float64Array, h: number): TinyNet {
  return {
    w1: flat.slice(0, h),
    b1: flat.slice(h, 2 * h),
    w2: flat.slice(2 * h, 3 * h),
    b2: flat[3 * h],
  };
}

/** Hidden activation of the reference network. */
export let activation: "tanh" | "relu" = "tanh";

/** Chooses the hidden activation of the reference network. */
export function setActivation(value: "tanh" | "relu"): void {
  activation = value;
}

const act = (z: number) => (activation === "tanh" ? Math.tanh(z) : Math.max(z, 0));
const actDerivative = (z: number, a: number) => activation === "tanh" ? 1 - a * a : z > 0 ? 1 : 0;

function forward(net: TinyNet, x: number): { y: number; a: Float64Array; z: Float64Array } {
  const z = net.w1.map((w, j) => w * x + net.b1[j]);
  const a = z.map(act);
  let y = net.b2;
  a.forEach((v, j) => (y += v * net.w2[j]));
  return { y, a, z };
}

/** Mean squared error of the net on (xs, ys). */
export function loss(net: TinyNet, xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (forward(net, xs[i]).y - ys[i]) ** 2;
  return s / xs.length;
}

/** Exact gradient of {@linkcode loss}. */
export function gradient(net: TinyNet, xs: ArrayLike<number>, ys: ArrayLike<number>): TinyNet {
  const h = net.w1.length;
  const g: TinyNet = {
    w1: new Float64Array(h),
    b1: new Float64Array(h),
    w2: new Float64Array(h),
    b2: 0,
  };
  for (let i = 0; i < xs.length; i++) {
    const { y, a, z } = forward(net, xs[i]);
    const dy = (2 * (y - ys[i])) / xs.length;
    g.b2 += dy;
    for (let j = 0; j < h; j++) {
      g.w2[j] += dy * a[j];
      const dz = dy * net.w2[j] * actDerivative(z[j], a[j]);
      g.w1[j] += dz * xs[i];
      g.b1[j] += dz;
    }
  }
  return g;
}

/** θ − lrs ⊙ ∇L (lrs: one number, or one per flattened parameter), optionally k times. */
export function sgdStep(
  net: TinyNet,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  lrs: number | Float64Array,
): TinyNet {
  const g = gradient(net, xs, ys);
  const h = net.w1.length;
  const lr = (k: number) => (typeof lrs === "number" ? lrs : lrs[k]);
  return {
    w1: net.w1.map((v, j) => v - lr(j) * g.w1[j]),
    b1: net.b1.map((v, j) => v - lr(h + j) * g.b1[j]),
    w2: net.w2.map((v, j) => v - lr(2 * h + j) * g.w2[j]),
    b2: net.b2 - lr(3 * h) * g.b2,
  };
}

/** Central finite differences of f at x with step eps. */
export function finiteDifferences(
  f: (x: Float64Array) => number,
  x: Float64Array,
  eps = 1e-6,
): Float64Array {
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i] += eps;
    down[i] -= eps;
    return (f(up) - f(down)) / (2 * eps);
  });
}
