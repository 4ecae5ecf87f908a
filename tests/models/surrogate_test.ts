import assert from "node:assert/strict";
import { fitGP, predictMean } from "../../mod.ts";

Deno.test("predictMean is exported from the root entry point, beside the Surrogate type", () => {
  const gp = fitGP([Float64Array.of(0.2), Float64Array.of(0.8)], [1, 3]);
  const at = [Float64Array.of(0.5)];
  assert.deepEqual(predictMean(gp, at), gp.predict(at).mean);
});
