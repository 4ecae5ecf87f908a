/**
 * Standard global-optimisation test functions (Surjanovic and Bingham's Virtual Library of
 * Simulation Experiments), defined exactly as the Python peers in `shared/peers/synthetic.py`
 * for branin, hartmann3, hartmann6, ackley5 and levy4.
 *
 * @module
 */
import { z } from "../../deps/zod.ts";
import { parseOrThrow } from "../../validate.ts";
import { SOBOL_MAX_DIM } from "../../random/sobol.ts";
import { defineSynthetic, type SyntheticFunction } from "./synthetic.ts";

const { PI, cos, exp, sin, sqrt, E } = Math;

const box = (dim: number, low: number, high: number): [number, number][] =>
  Array.from({ length: dim }, () => [low, high]);

/**
 * Branin–Hoo on [−5, 10] × [0, 15]: minimum 5/(4π) ≈ 0.397887 at (−π, 12.275), (π, 2.275) and
 * (9.42478, 2.475).
 *
 * @example
 * ```ts
 * import { branin } from "./mod.ts";
 * console.log(branin.evaluate(Float64Array.of(0.5, 0.5)));
 * ```
 */
export const branin: SyntheticFunction = defineSynthetic({
  name: "branin",
  bounds: [[-5, 10], [0, 15]],
  minimum: 5 / (4 * PI),
  minimizersInDomain: [[-PI, 12.275], [PI, 2.275], [3 * PI, 2.475]],
  f: ([x1, x2]) => {
    const b = 5.1 / (4 * PI ** 2);
    const c = 5 / PI;
    const t = 1 / (8 * PI);
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * cos(x1) + 10;
  },
});

const HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2];
const HARTMANN3_A = [[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]];
const HARTMANN3_P = [
  [3689, 1170, 2673],
  [4699, 4387, 7470],
  [1091, 8732, 5547],
  [381, 5743, 8828],
].map((row) => row.map((v) => 1e-4 * v));
const HARTMANN6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const HARTMANN6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => 1e-4 * v));

function hartmann(a: number[][], p: number[][]): (x: Float64Array) => number {
  return (x) => {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < x.length; j++) inner += a[i][j] * (x[j] - p[i][j]) ** 2;
      sum += HARTMANN_ALPHA[i] * exp(-inner);
    }
    return -sum;
  };
}

/**
 * Hartmann 3-D on [0, 1]^3: minimum −3.862779787332663 at (0.1145888812, 0.5556488955,
 * 0.8525469842), located with scipy (Nelder–Mead, then BFGS) on this definition; the often quoted
 * −3.86278214782076 is 2.4e-6 below what these constants reach.
 *
 * @example
 * ```ts
 * import { hartmann3 } from "./mod.ts";
 * console.log(hartmann3.evaluate(hartmann3.minimizers[0])); // ≈ -3.86278
 * ```
 */
export const hartmann3: SyntheticFunction = defineSynthetic({
  name: "hartmann3",
  bounds: box(3, 0, 1),
  minimum: -3.862779787332663,
  minimizersInDomain: [[0.11458888122541287, 0.5556488954739371, 0.8525469842172746]],
  f: hartmann(HARTMANN3_A, HARTMANN3_P),
});

/**
 * Hartmann 6-D on [0, 1]^6: minimum −3.3223680114155116 at ≈ (0.20169, 0.150011, 0.476874,
 * 0.275332, 0.311652, 0.6573) (refined with scipy's L-BFGS-B on this definition).
 *
 * @example
 * ```ts
 * import { hartmann6 } from "./mod.ts";
 * console.log(hartmann6.evaluate(hartmann6.minimizers[0])); // ≈ -3.32237
 * ```
 */
export const hartmann6: SyntheticFunction = defineSynthetic({
  name: "hartmann6",
  bounds: box(6, 0, 1),
  minimum: -3.3223680114155116,
  minimizersInDomain: [[
    0.20168951538805177,
    0.15001069,
    0.4768739765410388,
    0.27533242654103884,
    0.3116516096231165,
    0.6573005330820777,
  ]],
  f: hartmann(HARTMANN6_A, HARTMANN6_P),
});

/**
 * Largest dimension of the families with a free dimension (ackley, levy, rosenbrock,
 * styblinski-tang): 1111, the dimension up to which scrambled Sobol points exist
 * (`SOBOL_MAX_DIM`). A larger one is refused at once with the argument named.
 *
 * @example
 * ```ts
 * import { ackley, SYNTHETIC_MAX_DIM } from "./mod.ts";
 * const f = ackley(SYNTHETIC_MAX_DIM); // the largest instance
 * ```
 */
export const SYNTHETIC_MAX_DIM: number = SOBOL_MAX_DIM;

const dimSchema = z.number().int("must be an integer").min(1, "must be >= 1")
  .max(SYNTHETIC_MAX_DIM, `must be <= ${SYNTHETIC_MAX_DIM}`);
const dimAtLeast2 = z.number().int("must be an integer").min(2, "must be >= 2")
  .max(SYNTHETIC_MAX_DIM, `must be <= ${SYNTHETIC_MAX_DIM}`);

/**
 * Ackley on [−32.768, 32.768]^dim (a = 20, b = 0.2, c = 2π): minimum 0 at the origin.
 *
 * @example
 * ```ts
 * import { ackley } from "./mod.ts";
 * const ackley10 = ackley(10);
 * const atOrigin = ackley10.evaluate(new Float64Array(10).fill(0.5));
 * console.log(ackley10.name, atOrigin); // ackley10 4.440892098500626e-16 (0 up to rounding)
 * ```
 */
export function ackley(dim: number): SyntheticFunction {
  parseOrThrow(dimSchema, dim, "ackley.dim");
  return defineSynthetic({
    name: `ackley${dim}`,
    bounds: box(dim, -32.768, 32.768),
    minimum: 0,
    minimizersInDomain: [new Array(dim).fill(0)],
    f: (x) => {
      let squares = 0;
      let cosines = 0;
      for (const xi of x) {
        squares += xi * xi;
        cosines += cos(2 * PI * xi);
      }
      return -20 * exp(-0.2 * sqrt(squares / dim)) - exp(cosines / dim) + 20 + E;
    },
  });
}

/**
 * Levy on [−10, 10]^dim: minimum 0 at (1, …, 1).
 *
 * @example
 * ```ts
 * import { levy } from "./mod.ts";
 * console.log(levy(4).evaluate(new Float64Array(4).fill(0.55))); // 0 (to rounding)
 * ```
 */
export function levy(dim: number): SyntheticFunction {
  parseOrThrow(dimAtLeast2, dim, "levy.dim");
  return defineSynthetic({
    name: `levy${dim}`,
    bounds: box(dim, -10, 10),
    minimum: 0,
    minimizersInDomain: [new Array(dim).fill(1)],
    f: (x) => {
      const w = Array.from(x, (xi) => 1 + (xi - 1) / 4);
      let sum = sin(PI * w[0]) ** 2;
      for (let i = 0; i < dim - 1; i++) {
        sum += (w[i] - 1) ** 2 * (1 + 10 * sin(PI * w[i] + 1) ** 2);
      }
      const last = w[dim - 1];
      return sum + (last - 1) ** 2 * (1 + sin(2 * PI * last) ** 2);
    },
  });
}

/**
 * Rosenbrock on [−5, 10]^dim (the domain BoTorch uses): Σ 100(x_{i+1} − x_i²)² + (x_i − 1)²,
 * minimum 0 at (1, …, 1).
 *
 * @example
 * ```ts
 * import { rosenbrock } from "./mod.ts";
 * console.log(rosenbrock(3).evaluate(new Float64Array(3).fill(0.4))); // 0
 * ```
 */
export function rosenbrock(dim: number): SyntheticFunction {
  parseOrThrow(dimAtLeast2, dim, "rosenbrock.dim");
  return defineSynthetic({
    name: `rosenbrock${dim}`,
    bounds: box(dim, -5, 10),
    minimum: 0,
    minimizersInDomain: [new Array(dim).fill(1)],
    f: (x) => {
      let sum = 0;
      for (let i = 0; i < dim - 1; i++) sum += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1) ** 2;
      return sum;
    },
  });
}

/** The coordinate of Styblinski–Tang's minimiser: the smallest root of 4x³ − 32x + 5. */
const STYBLINSKI_TANG_ARGMIN = -2.903534027771177;
const styblinskiTang1 = (x: number) => 0.5 * (x ** 4 - 16 * x ** 2 + 5 * x);

/**
 * Styblinski–Tang on [−5, 5]^dim: ½ Σ (x_i⁴ − 16x_i² + 5x_i), minimum ≈ −39.16617·dim at
 * x_i = −2.903534.
 *
 * @example
 * ```ts
 * import { styblinskiTang } from "./mod.ts";
 * const f = styblinskiTang(2);
 * console.log(f.name, f.minimum); // styblinski-tang2 -78.33233...
 * ```
 */
export function styblinskiTang(dim: number): SyntheticFunction {
  parseOrThrow(dimSchema, dim, "styblinskiTang.dim");
  return defineSynthetic({
    name: `styblinski-tang${dim}`,
    bounds: box(dim, -5, 5),
    minimum: dim * styblinskiTang1(STYBLINSKI_TANG_ARGMIN),
    minimizersInDomain: [new Array(dim).fill(STYBLINSKI_TANG_ARGMIN)],
    f: (x) => {
      let sum = 0;
      for (const xi of x) sum += styblinskiTang1(xi);
      return sum;
    },
  });
}

/**
 * Goldstein–Price on [−2, 2]²: minimum 3 at (0, −1).
 *
 * @example
 * ```ts
 * import { goldsteinPrice } from "./mod.ts";
 * console.log(goldsteinPrice.evaluate(Float64Array.of(0.5, 0.25))); // 3
 * ```
 */
export const goldsteinPrice: SyntheticFunction = defineSynthetic({
  name: "goldstein-price",
  bounds: [[-2, 2], [-2, 2]],
  minimum: 3,
  minimizersInDomain: [[0, -1]],
  f: ([x1, x2]) => {
    const a = 1 +
      (x1 + x2 + 1) ** 2 * (19 - 14 * x1 + 3 * x1 ** 2 - 14 * x2 + 6 * x1 * x2 + 3 * x2 ** 2);
    const b = 30 +
      (2 * x1 - 3 * x2) ** 2 *
        (18 - 32 * x1 + 12 * x1 ** 2 + 48 * x2 - 36 * x1 * x2 + 27 * x2 ** 2);
    return a * b;
  },
});

/**
 * Ackley in 5 dimensions (as in the peers).
 *
 * @example
 * ```ts
 * import { ackley5 } from "./mod.ts";
 * console.log(ackley5.dim); // 5
 * ```
 */
export const ackley5: SyntheticFunction = ackley(5);

/**
 * Levy in 4 dimensions (as in the peers).
 *
 * @example
 * ```ts
 * import { levy4 } from "./mod.ts";
 * console.log(levy4.dim); // 4
 * ```
 */
export const levy4: SyntheticFunction = levy(4);
