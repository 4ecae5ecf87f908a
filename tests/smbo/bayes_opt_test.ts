import assert from "node:assert/strict";
import { type AcquisitionContext, bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { logExpectedImprovement } from "../../lib/acquisition/mod.ts";
import { defineSpace, float } from "../../lib/space/mod.ts";

Deno.test("acquisition builders see the observations standardised, and the pending points", () => {
  const seen: AcquisitionContext[] = [];
  const study = new SMBO(defineSpace({ x: float(0, 1) }), {
    seed: 0,
    initialDesignSize: 4,
    proposer: bayesOpt({
      acquisition: (surrogate, context) => {
        seen.push(context);
        return logExpectedImprovement(surrogate, { best: context.best });
      },
    }),
  });
  const values = [1e300, -1e300, 5, 1e-300];
  study.ask(4).forEach((t, i) => study.tell(t, values[i]));
  const running = study.ask(); // pending while the batch below is chosen
  study.ask(2);
  assert.equal(seen.length, 3, "one build for the single point, two for the batch");
  for (const context of seen) {
    assert.equal(context.points.length, 4);
    const v = Array.from(context.values);
    const mean = v.reduce((a, b) => a + b, 0) / 4;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
    assert.ok(Math.abs(mean) < 1e-12 && Math.abs(variance - 1) < 1e-12, `${v}`);
    assert.equal(context.best, Math.min(...v));
    assert.ok(v.every(Number.isFinite));
  }
  assert.equal(seen[0].pending.length, 0);
  // The batch: first the running trial, then also the point chosen before.
  assert.equal(seen[1].pending.length, 1);
  assert.deepEqual(Array.from(seen[1].pending[0]), [study.space.encode(running.params)[0]]);
  assert.equal(seen[2].pending.length, 2);
});
