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
