import assert from "node:assert/strict";
import { fitGP, Rng } from "../../lib/gp/mod.ts";
import { logNoisyExpectedImprovement } from "../../lib/acquisition/mod.ts";

Deno.test("sampleJoint and noisy EI under a tiny noise floor: the jitter follows the prior variance", () => {
  // Each of 40 configurations evaluated three times, a linear objective, a noise floor of 1e-12:
  // the posterior variance at the data is ~1e-14 while the round-off of K** − VᵀV follows the
  // prior variance (~1e2), so a jitter relative to the posterior's diagonal cannot factorise it.
  const rng = new Rng(4);
  const base = Array.from({ length: 40 }, () => rng.uniforms(1));
  const x = [...base, ...base.map((p) => p.slice()), ...base.map((p) => p.slice())];
  const y = x.map((p) => p[0]);
  const gp = fitGP(x, y, { bounds: { noise: [1e-12, 10] }, mean: "constant" });
  const samples = gp.sampleJoint(x, 4, new Rng(0));
  assert.equal(samples.length, 4);
  for (const s of samples) {
    assert.ok(s.every(Number.isFinite));
    // Samples at the data stay at the data (the posterior there is nearly certain).
    for (let i = 0; i < x.length; i++) {
      assert.ok(Math.abs(s[i] - y[i]) < 1e-3, `${s[i]} vs ${y[i]}`);
    }
  }
  const acquisition = logNoisyExpectedImprovement(gp, { points: x, rng: new Rng(0) });
  const [value] = acquisition.evaluate([Float64Array.of(0.5)]);
  assert.ok(Number.isFinite(value) || value === -Infinity);
});
