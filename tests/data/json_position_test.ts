import assert from "node:assert/strict";
import { jsonErrorOffset } from "../../lib/data/json_position.ts";

Deno.test("jsonErrorOffset accepts what JSON.parse accepts", () => {
  for (const text of ['{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]}', " [] ", "0", '""']) {
    JSON.parse(text);
    assert.equal(jsonErrorOffset(text), -1, text);
  }
});

Deno.test("jsonErrorOffset points at the first bad character", () => {
  const cases: [string, number][] = [
    ['{"a": }', 6],
    ["[1, 2,]", 6],
    ["[1 2]", 3],
    ['{"a" 1}', 5],
    ["[01]", 2],
    ["[tru]", 1],
    ['"abc', 4],
    ['"a\\x"', 3],
    ["[1] x", 4],
    ["", 0],
  ];
  for (const [text, offset] of cases) {
    assert.throws(() => JSON.parse(text));
    assert.equal(jsonErrorOffset(text), offset, text);
  }
});

Deno.test("jsonErrorOffset is iterative: nesting deeper than the call stack is located", () => {
  const depth = 200_000;
  assert.equal(jsonErrorOffset("[".repeat(depth)), depth);
  assert.equal(jsonErrorOffset("{".repeat(depth)), 1);
  assert.equal(jsonErrorOffset('{"a":'.repeat(depth)), 5 * depth);
  assert.equal(jsonErrorOffset("[".repeat(depth) + "]".repeat(depth)), -1);
  assert.equal(jsonErrorOffset("[".repeat(depth) + "]".repeat(depth - 1) + "}"), 2 * depth - 1);
  // Objects and arrays mixed: the bad token inside is found.
  assert.equal(jsonErrorOffset('[{"a": [1, {"b": [tru]}]}]'), 18);
});
