/** The checked option values of the repository's commands (`lib/cli_paths.ts`). */
import assert from "node:assert/strict";
import { choiceOption, integerOption, listOption, pathOption } from "../lib/cli_paths.ts";

Deno.test("integerOption: decimal integers in range only, the error names the option", () => {
  assert.equal(integerOption("seed", "0"), 0);
  assert.equal(integerOption("seed", "-7"), -7);
  assert.equal(integerOption("design", "64", 1), 64);
  assert.equal(integerOption("seed", "9007199254740991"), Number.MAX_SAFE_INTEGER);
  for (
    const text of ["", " ", "1.5", "1e3", "0x10", "+3", " 3", "abc", "NaN", "9007199254740992"]
  ) {
    assert.throws(() => integerOption("seed", text), {
      name: "RangeError",
      message: `--seed: expected an integer, got ${JSON.stringify(text)}`,
    });
  }
  for (const text of ["0", "-1", "-0"]) {
    assert.throws(() => integerOption("design", text, 1), {
      message: `--design: expected an integer ≥ 1, got "${text}"`,
    });
  }
});

Deno.test("choiceOption, listOption, pathOption: the error names the option and what it takes", () => {
  assert.equal(choiceOption("backend", "cpu", ["cpu", "wasm"]), "cpu");
  assert.throws(() => choiceOption("backend", "", ["cpu", "wasm"]), {
    message: '--backend: expected one of cpu, wasm, got ""',
  });
  assert.deepEqual(listOption("models", "b,a", ["a", "b"]), ["b", "a"]);
  assert.deepEqual(listOption("datasets", "anything"), ["anything"]);
  assert.throws(() => listOption("models", "a,c", ["a", "b"]), {
    message: '--models: unknown "c" (known: a, b)',
  });
  assert.throws(() => listOption("models", "a,a"), { message: '--models: "a" is given twice' });
  assert.throws(() => listOption("models", "a,,b"), {
    message: '--models: expected comma-separated names, got "a,,b" (an empty name)',
  });
  assert.equal(pathOption("out", "x"), "x");
  assert.throws(() => pathOption("out", ""), {
    message: "--out: expected a path, got an empty text",
  });
});
