/**
 * A tiny analytic surrogate for tests: μ(x) and σ²(x) are closed-form functions with exact
 * gradients, so acquisition tests do not depend on the GP.
 */
import type { Surrogate } from "../../lib/models/surrogate.ts";
import type { Rng } from "../../lib/random/rng.ts";

export interface FakeShape {
  mean: (x: Float64Array) => { value: number; gradient: Float64Array };
  variance: (x: Float64Array) => { value: number; gradient: Float64Array };
}

/** Builds a surrogate from analytic mean and variance; `sampleJoint` draws independent normals. */
export function fakeSurrogate(dim: number, shape: FakeShape): Surrogate {
  return {
    dim,
    predict(points) {
      return {
        mean: Float64Array.from(points, (p) => shape.mean(p).value),
        variance: Float64Array.from(points, (p) => shape.variance(p).value),
      };
    },
    predictWithGradient(point) {
      const m = shape.mean(point);
      const v = shape.variance(point);
      return {
        mean: m.value,
        variance: v.value,
        meanGradient: m.gradient,
        varianceGradient: v.gradient,
      };
    },
    sampleJoint(points, count, rng: Rng) {
      return Array.from({ length: count }, () =>
        Float64Array.from(points, (p) => {
          const sd = Math.sqrt(Math.max(shape.variance(p).value, 0));
          return shape.mean(p).value + sd * rng.normal();
        }));
    },
  };
}

/** μ(x) = Σ sin(3x_j + j) + x₀x₁ (dim ≥ 2), σ²(x) = 0.02 + Σ (j+1)/4 · (x_j − 0.4)². */
export function wavySurrogate(dim: number): Surrogate {
  return fakeSurrogate(dim, {
    mean: (x) => {
      let value = x[0] * x[1];
      const gradient = new Float64Array(dim);
      gradient[0] = x[1];
      gradient[1] = x[0];
      for (let j = 0; j < dim; j++) {
        value += Math.sin(3 * x[j] + j);
        gradient[j] += 3 * Math.cos(3 * x[j] + j);
      }
      return { value, gradient };
    },
    variance: (x) => {
      let value = 0.02;
      const gradient = new Float64Array(dim);
      for (let j = 0; j < dim; j++) {
        value += ((j + 1) / 4) * (x[j] - 0.4) ** 2;
        gradient[j] = ((j + 1) / 2) * (x[j] - 0.4);
      }
      return { value, gradient };
    },
  });
}

/** A surrogate with constant mean and variance (for value tables). */
export function constantSurrogate(dim: number, mean: number, variance: number): Surrogate {
  return fakeSurrogate(dim, {
    mean: () => ({ value: mean, gradient: new Float64Array(dim) }),
    variance: () => ({ value: variance, gradient: new Float64Array(dim) }),
  });
}

/** Central finite-difference gradient of a scalar function. */
export function finiteDifference(
  f: (x: Float64Array) => number,
  x: Float64Array,
  step = 1e-6,
): Float64Array {
  return Float64Array.from(x, (_, j) => {
    const plus = x.slice();
    const minus = x.slice();
    plus[j] += step;
    minus[j] -= step;
    return (f(plus) - f(minus)) / (2 * step);
  });
}
