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
