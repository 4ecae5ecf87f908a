import assert from "node:assert/strict";
import { bayesOpt, type BayesOptOptions } from "../../lib/smbo/bayes_opt.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";
import { editedGp } from "../models/_edited_gp.ts";
import { Rng } from "../../lib/random/rng.ts";
import { gpFactory } from "../../lib/gp/gp.ts";
import type { Surrogate, SurrogateFactory } from "../../lib/models/surrogate.ts";

const line = defineSpace({ x: float(0, 1) });
const fail = () => {
  throw new RangeError("index out of range");
};

/** The default GP under the name "mine", with some methods replaced. */
function mine(edit: Partial<Surrogate>, extra: Partial<SurrogateFactory> = {}): SurrogateFactory {
  return editedGp("mine", () => edit, extra);
}

/** The error of the first model-based proposal of a study with these bayesOpt options. */
function firstModelError(options: BayesOptOptions): Error {
  const study = new SMBO(line, { seed: 0, initialDesignSize: 3, proposer: bayesOpt(options) });
  for (const t of study.ask(3)) study.tell(t, (t.params.x - 0.3) ** 2);
  try {
    study.ask(1);
  } catch (error) {
    return error as Error;
  }
  throw new Error("no error");
}

for (
  const [label, options, expected] of [
    [
      "predict",
      { surrogate: mine({ predict: fail }) },
      'bayesOpt: surrogate "mine" predict: index out of range',
    ],
    [
      "predictMean",
      { surrogate: mine({ predictMean: fail }) },
      'bayesOpt: surrogate "mine" predictMean: index out of range',
    ],
    [
      "predictWithGradient",
      { surrogate: mine({ predictWithGradient: fail }) },
      'bayesOpt: surrogate "mine" predictWithGradient: index out of range',
    ],
    [
      "sampleJoint",
      { surrogate: mine({ sampleJoint: fail }), acquisition: "ts" },
      'bayesOpt: surrogate "mine" sampleJoint: index out of range',
    ],
    [
      "the acquisition builder",
      { acquisition: fail },
      'bayesOpt: acquisition "custom" builder: index out of range',
    ],
    [
      "the acquisition's evaluate",
      { acquisition: (s: Surrogate) => ({ name: "myacq", dim: s.dim, evaluate: fail }) },
      'bayesOpt: acquisition "myacq" evaluate: index out of range',
    ],
  ] as [string, BayesOptOptions, string][]
) {
  Deno.test(`bayesOpt names the plug-in when ${label} throws, keeping the error as cause`, () => {
    const error = firstModelError(options);
    assert.ok(error instanceof RangeError);
    assert.equal(error.message, expected);
    assert.equal((error.cause as Error).message, "index out of range");
  });
}

Deno.test("bayesOpt names the surrogate when its warmStartState throws", () => {
  const proposer = bayesOpt({
    surrogate: mine({}, {
      warmStartState: () => {
        throw new Error("no state");
      },
    }),
  });
  const memory = new Map<string, unknown>();
  proposer.propose({
    dim: 1,
    points: [Float64Array.of(0.1), Float64Array.of(0.5), Float64Array.of(0.9)],
    values: Float64Array.of(0.04, 0.04, 0.36),
    pending: [],
    project: (u) => u,
    rng: new Rng(0),
    memory,
  }, 1);
  assert.throws(
    () => proposer.saveState!(memory),
    (error: Error) => {
      assert.equal(error.message, 'bayesOpt: surrogate "mine" warmStartState: no state');
      assert.equal((error.cause as Error).message, "no state");
      return true;
    },
  );
});

Deno.test("bayesOpt's own checks of a custom surrogate's predictions keep their messages", () => {
  const nan = mine({
    predict: (x) => ({
      mean: new Float64Array(x.length).fill(NaN),
      variance: new Float64Array(x.length).fill(1),
    }),
  });
  const error = firstModelError({ surrogate: nan, acquisition: "ei" });
  assert.equal(
    error.message,
    'bayesOpt: surrogate "mine" predict: mean[0] must be finite, got NaN',
  );
  assert.equal(error.cause, undefined);
});

Deno.test("bayesOpt keeps its proposals away from evaluated points when a surrogate edits the points it is fitted to", () => {
  const plane = defineSpace({ a: float(0, 1), b: float(0, 1) });
  const editing: SurrogateFactory = {
    name: "editing",
    fit(points, values, rng, hints) {
      for (const p of points) (p as Float64Array).fill(0.5);
      return gpFactory().fit(points, values, rng, hints);
    },
  };
  const study = new SMBO(plane, {
    seed: 0,
    initialDesignSize: 3,
    proposer: bayesOpt({ surrogate: editing }),
  });
  for (let i = 0; i < 8; i++) {
    const [t] = study.ask(1);
    study.tell(t, Math.exp(5 * ((t.params.a - 0.3) ** 2 + (t.params.b - 0.6) ** 2)));
  }
  const points = study.trials.map((t) => [t.params.a, t.params.b]);
  for (let i = 0; i < points.length; i++) {
    for (let j = 0; j < i; j++) {
      const distance = Math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]);
      assert.ok(distance >= 1e-4, `trial ${i} within ${distance} of trial ${j}`);
    }
  }
});
