import assert from "node:assert/strict";
import { fc } from "../_fast_check.ts";
import { propertyParams } from "../_property.ts";
import { parseJson, tableFromJson } from "../../lib/data/mod.ts";
import { loadTaskStore, saveTaskStore, TaskStore } from "../../lib/meta/mod.ts";

// Pairs of keys the engine's JSON.parse confuses when they follow the same keys in two objects.
const CONFUSED: [string, string][] = [
  ["\\", "\u0000"],
  ["\\", "\n"],
  ["x\\", "x\t"],
  ["ab\\", "ab\t"],
  ['"', "/"],
];

Deno.test("parseJson reads escaped keys exactly where the engine's JSON.parse may not", () => {
  CONFUSED.forEach(([first, second], i) => {
    const prefix = `prefix${i}`;
    const text = JSON.stringify([
      { [prefix]: 1, [first]: 2 },
      { [prefix]: 1, [second]: { [first]: [{ [second]: 3 }] } },
    ]);
    const value = parseJson(text) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(value[1]), [prefix, second]);
    assert.equal(JSON.stringify(value), text);
  });
  assert.deepEqual(Object.keys(parseJson('{"__proto__\\n": 1, "__proto__": 2}') as object), [
    "__proto__\n",
    "__proto__",
  ]);
  assert.throws(() => parseJson('{"\\\\": }'), SyntaxError);
  assert.throws(() => parseJson(5 as never), /parseJson\.text: must be a string/);
});

Deno.test("tables and task stores keep keys the engine's JSON.parse would confuse", async () => {
  const { table } = tableFromJson('[{"a": 1, "\\\\": 2}, {"a": 3, "\\n": 4}]');
  assert.deepEqual(table.columnNames(), ["a", "\\", "\n"]);
  assert.deepEqual(Array.from(table.array("\n")), [null, 4]);
  const store = TaskStore.from(CONFUSED.flatMap(([first, second], i) => [
    { id: `${i}${first}`, trials: [{ params: { p: 1, [first]: 1 }, value: 1 }] },
    { id: `${i}${second}`, trials: [{ params: { p: 1, [second]: 2 }, value: 2 }] },
  ]));
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    saveTaskStore(store, path);
    assert.deepEqual(loadTaskStore(path).toJSON(), store.toJSON());
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("property: parseJson gives JSON.stringify's input back for objects with any keys", () => {
  const key = fc.oneof(
    fc.constantFrom("\\", "\n", "\t", "\u0000", '"', "/", "x\\", "x\t", "\ue000", "__proto__"),
    fc.string({ unit: "binary", maxLength: 4 }),
  );
  const value = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x)),
        fc.string({ maxLength: 3 }),
        fc.boolean(),
        fc.constant(null),
      ),
      fc.array(tie("node"), { maxLength: 3 }),
      fc.uniqueArray(fc.tuple(key, tie("node")), { maxLength: 4, selector: ([k]) => k })
        .map((entries) => Object.fromEntries(entries)),
    ),
  })).node;
  fc.assert(
    fc.property(fc.array(value, { maxLength: 4 }), (values) => {
      const text = JSON.stringify(values);
      assert.equal(JSON.stringify(parseJson(text)), text);
    }),
    propertyParams(300),
  );
});
