/**
 * Reference cases of the local search: direct `localSearch` calls (continuous, mixed, conditional
 * and categorical spaces; q = 1 and 4; candidates "visited" and "ends"; ties, NaN values,
 * exclusions, tolerances; a Thompson sample) and short studies with `smac()` and with
 * `bayesOpt` (local search, Thompson sampling, the L-BFGS-B default). Each case records the
 * returned points and values bit for bit and the next draws of its generator, so that a change
 * of the implementation can be checked to propose exactly the same points.
 * `tests/fixtures/local_search_proposals.json` holds the recorded outcomes
 * (`deno run -A tests/acquisition/_local_search_cases.ts --write` writes it).
 */
import type { AcquisitionFunction } from "../../lib/acquisition/acquisition.ts";
import { localSearch, type LocalSearchOptions } from "../../lib/acquisition/local_search.ts";
import { thompsonSampling } from "../../lib/acquisition/thompson.ts";
import { Rng } from "../../lib/random/rng.ts";
import { categorical, defineSpace, float, int, when } from "../../lib/space/mod.ts";
import type { Space } from "../../lib/space/space.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { smac } from "../../lib/smbo/presets.ts";
import type { Proposer } from "../../lib/smbo/proposer.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { fakeSurrogate } from "./_fake_surrogate.ts";

/** Where the recorded outcomes live. */
export const FIXTURE = new URL("../fixtures/local_search_proposals.json", import.meta.url);

/** The bits of numbers, 16 hex digits each (NaN, ±0 and ±Infinity kept). */
export function hex(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(Float64Array.from(values).buffer);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** One recorded outcome: the points and values proposed, or the error thrown. */
export interface Outcome {
  points?: string[];
  values?: string;
  error?: string;
  /** The next draws of the generator after the call (the same consumption of random numbers). */
  next?: string;
  /** Trials of a study: their configurations. */
  params?: string[];
}

const spaces: Record<string, Space> = {
  continuous: defineSpace({
    a: float(0, 1),
    b: float(-2, 3),
    c: float(1e-3, 10, { log: true }),
  }),
  mixed: defineSpace({
    x: float(0, 1),
    lr: float(1e-4, 1, { log: true }),
    n: int(1, 9),
    layers: int(1, 64, { log: true }),
    step: float(0, 1, { step: 0.125 }),
    act: categorical(["relu", "tanh", "gelu", "elu"]),
    bias: categorical([true, false]),
  }),
  conditional: defineSpace({
    optimizer: categorical(["sgd", "adam", "rmsprop"]),
    lr: float(1e-4, 1e-1, { log: true }),
    momentum: when({ optimizer: "sgd" }, float(0, 0.99)),
    nesterov: when({ optimizer: "sgd" }, categorical([true, false])),
    beta1: when({ optimizer: "adam" }, float(0.8, 0.999)),
    units: int(8, 64),
  }),
  categorical: defineSpace(
    Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`c${i}`, categorical(["a", "b", "c", "d", "e"])]),
    ),
  ),
  tiny: defineSpace({ p: categorical(["x", "y"]), r: categorical([1, 2]) }),
};

/** A smooth function of the encoded point (few ties). */
function smooth(p: Float64Array): number {
  let s = 0;
  for (let j = 0; j < p.length; j++) s += Math.sin(3.1 * p[j] + 0.7 * j) * (1 + 0.13 * j);
  return s;
}

const shapes: Record<string, (p: Float64Array) => number> = {
  smooth,
  // Plateaus as a random forest's: many ties.
  plateau: (p) => Math.round(2 * smooth(p)) / 2,
  // NaN on part of the space, ties elsewhere.
  nan: (p) => (p[0] > 0.6 ? NaN : Math.round(4 * smooth(p)) / 4),
  // Flat: every point ties.
  flat: () => 0,
};

function acquisitionOf(space: Space, shape: string): AcquisitionFunction {
  const f = shapes[shape];
  return {
    name: shape,
    dim: space.dim,
    evaluate: (points) => Float64Array.from(points, f),
  };
}

function outcomeOf(run: () => { points: Float64Array[]; values: Float64Array }, rng: Rng): Outcome {
  try {
    const r = run();
    return { points: r.points.map(hex), values: hex(r.values), next: hex(rng.uniforms(3)) };
  } catch (error) {
    return { error: (error as Error).name, next: hex(rng.uniforms(3)) };
  }
}

/** A direct `localSearch` case. */
interface DirectCase {
  space: string;
  shape: string;
  seed: number;
  options: Partial<LocalSearchOptions>;
  /** Start points: this many uniform samples of the space (seed + 1000). */
  starts?: number;
  /** Exclusions: the best `excludeBest` points of a first search with the same settings. */
  excludeBest?: number;
  /** No space: the local search sees unit-cube columns mapped through the space's projection. */
  projectOnly?: boolean;
}

function directCases(): Record<string, DirectCase> {
  const cases: Record<string, DirectCase> = {};
  const light = { randomSamples: 300 };
  for (const space of ["continuous", "mixed", "conditional", "categorical"]) {
    for (const shape of ["smooth", "plateau", "nan"]) {
      for (const q of [1, 4]) {
        for (const candidates of ["visited", "ends"] as const) {
          cases[`${space}/${shape}/q${q}/${candidates}`] = {
            space,
            shape,
            seed: 11 + q,
            options: { ...light, q, candidates },
            starts: 5,
          };
        }
      }
    }
    cases[`${space}/smooth/q4/best`] = {
      space,
      shape: "smooth",
      seed: 5,
      options: { ...light, q: 4, improvement: "best" },
      starts: 3,
    };
    cases[`${space}/plateau/q4/exclude`] = {
      space,
      shape: "plateau",
      seed: 7,
      options: { ...light, q: 4 },
      starts: 4,
      excludeBest: 6,
    };
    cases[`${space}/plateau/q4/tolerance0`] = {
      space,
      shape: "plateau",
      seed: 8,
      options: { ...light, q: 4, duplicateTolerance: 0 },
    };
    cases[`${space}/smooth/q4/tolerance0.3`] = {
      space,
      shape: "smooth",
      seed: 9,
      options: { ...light, q: 4, duplicateTolerance: 0.3 },
      starts: 2,
    };
    cases[`${space}/flat/q4`] = {
      space,
      shape: "flat",
      seed: 10,
      options: { ...light, q: 4 },
      starts: 2,
    };
    cases[`${space}/plateau/q1/defaults`] = { space, shape: "plateau", seed: 3, options: {} };
    cases[`${space}/smooth/q4/defaults`] = {
      space,
      shape: "smooth",
      seed: 4,
      options: { q: 4 },
      starts: 10,
    };
  }
  cases["mixed/smooth/q4/project"] = {
    space: "mixed",
    shape: "smooth",
    seed: 21,
    options: { ...light, q: 4 },
    starts: 3,
    projectOnly: true,
  };
  cases["continuous/plateau/q4/tolerance-infinity"] = {
    space: "continuous",
    shape: "plateau",
    seed: 22,
    options: { ...light, q: 4, duplicateTolerance: 1e300 },
  };
  cases["tiny/plateau/q4"] = { space: "tiny", shape: "plateau", seed: 23, options: { q: 4 } };
  cases["tiny/plateau/q4/exclude"] = {
    space: "tiny",
    shape: "plateau",
    seed: 24,
    options: { q: 4 },
    excludeBest: 2,
  };
  cases["tiny/flat/q2/all-excluded"] = {
    space: "tiny",
    shape: "flat",
    seed: 25,
    options: { q: 2 },
    excludeBest: 4,
  };
  return cases;
}

function runDirect(c: DirectCase): Outcome {
  const space = spaces[c.space];
  const acquisition = acquisitionOf(space, c.shape);
  const starts = c.starts === undefined
    ? undefined
    : space.sampleEncoded(c.starts, new Rng(c.seed + 1000), "uniform");
  const base: LocalSearchOptions = {
    dim: space.dim,
    rng: new Rng(c.seed),
    ...(c.projectOnly ? { project: (u: Float64Array) => space.project(u) } : { space }),
    ...(starts ? { starts } : {}),
    ...c.options,
  };
  let exclude: Float64Array[] | undefined;
  if (c.excludeBest !== undefined) {
    // Configurations of the tiny space, else the best points of a first search.
    exclude = c.space === "tiny"
      ? ["x", "y"].flatMap((p) => [1, 2].map((r) => space.encode({ p, r })))
        .slice(0, c.excludeBest)
      : localSearch(acquisition, { ...base, rng: new Rng(c.seed + 3000), q: c.excludeBest })
        .points;
  }
  const rng = base.rng;
  return outcomeOf(
    () => localSearch(acquisition, { ...base, ...(exclude ? { exclude } : {}) }),
    rng,
  );
}

/** A sampled acquisition (Thompson sampling on an analytic surrogate). */
function runThompson(space: string, seed: number, q: number): Outcome {
  const s = spaces[space];
  const surrogate = fakeSurrogate(s.dim, {
    mean: (x) => ({ value: smooth(x), gradient: new Float64Array(s.dim) }),
    variance: (x) => ({ value: 0.1 + 0.05 * x[0], gradient: new Float64Array(s.dim) }),
  });
  const rng = new Rng(seed);
  const acquisition = thompsonSampling(surrogate, { rng });
  const starts = s.sampleEncoded(4, new Rng(seed + 1000), "uniform");
  return outcomeOf(
    () => localSearch(acquisition, { dim: s.dim, rng, space: s, starts, q, randomSamples: 200 }),
    rng,
  );
}

/** Objective of the studies: a deterministic function of the configuration. */
function objective(params: Record<string, unknown>): number {
  let s = 0, j = 0;
  for (const [key, value] of Object.entries(params)) {
    j++;
    const x = typeof value === "number"
      ? value
      : typeof value === "boolean"
      ? (value ? 1 : 0)
      : value === undefined
      ? 0.5
      : String(value).charCodeAt(0) / 50 + key.length / 10;
    s += Math.sin(1.7 * x + j) ** 2 + 0.1 * j * x * x / (1 + Math.abs(x));
  }
  return s;
}

/** A study of `asks` asks of `batch` configurations each; records every proposal and trial. */
function runStudy(space: string, make: () => Proposer, seed: number, asks: number, batch: number) {
  const inner = make();
  const proposals: string[] = [];
  const proposer: Proposer = {
    name: inner.name,
    propose(context, q) {
      const out = inner.propose(context, q);
      proposals.push(...out.map(hex));
      return out;
    },
  };
  const s = spaces[space];
  const study = new SMBO(s, { seed, proposer, initialDesignSize: 6 });
  const params: string[] = [];
  for (let i = 0; i < asks; i++) {
    const trials = batch === 1 ? [study.ask()] : study.ask(batch);
    for (const t of trials) {
      params.push(JSON.stringify(t.params));
      study.tell(t, objective(t.params as Record<string, unknown>));
    }
  }
  return { points: proposals, params };
}

function studyCases(): Record<string, () => Outcome> {
  const cases: Record<string, () => Outcome> = {};
  const ls = { randomSamples: 300 };
  for (const space of ["continuous", "mixed", "conditional", "categorical"]) {
    cases[`study/${space}/smac`] = () => runStudy(space, () => smac(), 31, 20, 1);
    cases[`study/${space}/smac/batch4`] = () => runStudy(space, () => smac(), 32, 6, 4);
    cases[`study/${space}/smac/retrain4`] = () =>
      runStudy(space, () => smac({ retrainAfter: 4, localSearch: ls }), 33, 20, 1);
    cases[`study/${space}/gp-local-search`] = () =>
      runStudy(
        space,
        () => bayesOpt({ acquisitionOptimizer: "local-search", localSearch: ls }),
        34,
        14,
        1,
      );
    cases[`study/${space}/gp-local-search/batch4`] = () =>
      runStudy(
        space,
        () => bayesOpt({ acquisitionOptimizer: "local-search", localSearch: ls }),
        35,
        5,
        4,
      );
    cases[`study/${space}/gp-local-search/retrain4`] = () =>
      runStudy(
        space,
        () => bayesOpt({ acquisitionOptimizer: "local-search", localSearch: ls, retrainAfter: 4 }),
        36,
        16,
        1,
      );
    cases[`study/${space}/gp-thompson`] = () =>
      runStudy(
        space,
        () =>
          bayesOpt({ acquisitionOptimizer: "local-search", acquisition: "ts", localSearch: ls }),
        37,
        12,
        1,
      );
  }
  // The L-BFGS-B default on a continuous space (its incumbents ranked by posterior mean).
  cases["study/continuous/gp-default"] = () =>
    runStudy("continuous", () => bayesOpt({ rawSamples: 128 }), 38, 12, 1);
  cases["study/mixed/gp-default/batch2"] = () =>
    runStudy("mixed", () => bayesOpt({ rawSamples: 128 }), 39, 6, 2);
  return cases;
}

/** Every case, by name, run now. */
export function runAll(filter?: (name: string) => boolean): Record<string, Outcome> {
  const out: Record<string, Outcome> = {};
  for (const [name, c] of Object.entries(directCases())) {
    if (!filter || filter(name)) out[name] = runDirect(c);
  }
  for (const space of ["continuous", "mixed", "conditional", "categorical"]) {
    for (const q of [1, 4]) {
      const name = `thompson/${space}/q${q}`;
      if (!filter || filter(name)) out[name] = runThompson(space, 41 + q, q);
    }
  }
  for (const [name, run] of Object.entries(studyCases())) {
    if (!filter || filter(name)) out[name] = run();
  }
  return out;
}

if (import.meta.main && Deno.args.includes("--write")) {
  const out = runAll();
  await Deno.writeTextFile(FIXTURE, JSON.stringify(out, null, 1) + "\n");
  console.log(`${Object.keys(out).length} cases written to ${FIXTURE.pathname}`);
}
