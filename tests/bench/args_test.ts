import assert from "node:assert/strict";
import { integerArg } from "../../bench/args.ts";
import { formatInterval } from "../../lib/viz/table.ts";

Deno.test("integerArg: integers at or above the minimum; anything else names the flag", () => {
  assert.equal(integerArg("20", "seeds", 1), 20);
  assert.equal(integerArg("0", "first-seed", 0), 0);
  for (const text of ["", " ", "0", "1.5", "abc", "-3", "1e400", "1e3", " 3", "0x10"]) {
    assert.throws(
      () => integerArg(text, "seeds", 1),
      /--seeds: expected an integer ≥ 1, got/,
      text,
    );
  }
});

Deno.test("formatInterval: center [lower, upper] in formatNumber's format, scaled", () => {
  assert.equal(
    formatInterval({ center: 0.406, lower: 0.178, upper: 0.605 }),
    "0.406 [0.178, 0.605]",
  );
  assert.equal(
    formatInterval({ center: 0.0028, lower: 0.0025, upper: 0.003 }, 1000),
    "2.80 [2.50, 3]",
  );
  assert.equal(
    formatInterval({ center: 3e-5, lower: NaN, upper: 2.5e6 }),
    "3.00e-5 [NaN, 2.50e+6]",
  );
});
