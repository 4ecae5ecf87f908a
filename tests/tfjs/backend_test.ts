import assert from "node:assert/strict";
import { tf } from "../../lib/deps/tf.ts";
import { useBackend } from "../../lib/tfjs/mod.ts";

Deno.test("useBackend switches between cpu and wasm and rejects unknown backends", async () => {
  await useBackend("wasm");
  assert.equal(tf.getBackend(), "wasm");
  await useBackend("cpu");
  assert.equal(tf.getBackend(), "cpu");
  await assert.rejects(
    () => useBackend("webgl" as never),
    /useBackend: backend must be "cpu" or "wasm"/,
  );
});
