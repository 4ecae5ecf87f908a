import assert from "node:assert/strict";
import { thompsonSampling } from "../../lib/acquisition/thompson.ts";
import { Rng } from "../../lib/random/rng.ts";
import type { Surrogate } from "../../lib/models/surrogate.ts";
import { wavySurrogate } from "./_fake_surrogate.ts";

const points = [Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.5), Float64Array.of(0.9, 0.3)];

Deno.test("thompsonSampling: returns the negated joint sample and is not differentiable", () => {
  const surrogate = wavySurrogate(2);
  const ts = thompsonSampling(surrogate, { rng: new Rng(3) });
  assert.equal(ts.valueAndGradient, undefined);
  assert.equal(ts.name, "TS");
  assert.equal(ts.sampled, true, "values compare within one call only");
  const values = ts.evaluate(points);
  const [sample] = surrogate.sampleJoint(points, 1, new Rng(3));
  assert.deepEqual(Array.from(values), Array.from(sample, (v) => -v));
  assert.equal(ts.evaluate([]).length, 0);
});

Deno.test("thompsonSampling: same seed, same draws; successive calls draw afresh", () => {
  const a = thompsonSampling(wavySurrogate(2), { rng: new Rng(11) });
  const b = thompsonSampling(wavySurrogate(2), { rng: new Rng(11) });
  const first = a.evaluate(points);
  assert.deepEqual(first, b.evaluate(points));
  assert.notDeepEqual(first, a.evaluate(points));
});

Deno.test("thompsonSampling: bad inputs throw errors that name the field", () => {
  const surrogate = wavySurrogate(2);
  assert.throws(
    () => thompsonSampling(surrogate, {} as { rng: Rng }),
    /thompsonSampling: options\.rng: must be an Rng/,
  );
  assert.throws(
    () =>
      thompsonSampling({ ...surrogate, sampleJoint: undefined } as unknown as Surrogate, {
        rng: new Rng(0),
      }),
    /surrogate\.sampleJoint: must be a function/,
  );
  const ts = thompsonSampling(surrogate, { rng: new Rng(0) });
  assert.throws(() => ts.evaluate([Float64Array.of(0.5)]), /TS\.evaluate: points\[0\]/);
});

Deno.test("thompsonSampling: a sampleJoint with no sample, a short or NaN one, or a promise is an error naming it", () => {
  const base = wavySurrogate(2);
  const points = [Float64Array.of(0.1, 0.2), Float64Array.of(0.5, 0.5), Float64Array.of(0.9, 0.1)];
  const cases: [string, Surrogate["sampleJoint"], RegExp][] = [
    [
      "empty",
      () => [],
      /TS: surrogate.sampleJoint\(points, 1, rng\): must return an array of one sample \(a Float64Array of 3 values\), got an empty array/,
    ],
    [
      "short",
      () => [new Float64Array(2)],
      /TS: surrogate.sampleJoint\(points, 1, rng\)\[0\]: must return 3 values \(one per point\), got 2/,
    ],
    [
      "NaN",
      () => [Float64Array.of(0, NaN, 1)],
      /TS: surrogate.sampleJoint\(points, 1, rng\)\[0\]\[1\]: must be finite, got NaN/,
    ],
    [
      "promise",
      (async () => {}) as never,
      /TS: surrogate.sampleJoint\(points, 1, rng\): returned a Promise/,
    ],
    [
      "not an array",
      (() => undefined) as never,
      /must return an array of one sample .*, got undefined/,
    ],
  ];
  for (const [label, sampleJoint] of cases.map(([l, s]) => [l, s] as const)) {
    const ts = thompsonSampling({ ...base, sampleJoint }, { rng: new Rng(0) });
    assert.throws(() => ts.evaluate(points), cases.find((c) => c[0] === label)![2], label);
  }
});
