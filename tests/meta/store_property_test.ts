/**
 * Property-based tests of the task store: hostile ids and names (Object.prototype members,
 * quotes, unicode) survive the JSON form and the meta-dataset reader exactly. Run counts:
 * tests/_property.ts.
 */
import assert from "node:assert/strict";
import { fc } from "../_fast_check.ts";
import { propertyParams } from "../_property.ts";
import {
  loadTaskStore,
  priorTasksFromMetaDataset,
  saveTaskStore,
  TaskStore,
} from "../../lib/meta/mod.ts";
// JSON.parse of Deno 2.9 mis-reads some escaped keys; parseJson is the loaders' exact reader.
import { parseJson } from "../../lib/data/json.ts";

const hostileName = fc.oneof(
  fc.constantFrom(
    "constructor",
    "__proto__",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "__defineGetter__",
    '"',
    "'",
    "\\",
    "a.b",
    "[0]",
    "\u0000",
    "\ud83d\ude00",
    "e\u0301",
  ),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 6 }),
);
// JSON cannot write -0 (it reads back as 0), so values are drawn without it.
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));
const paramValue = fc.oneof(finite, fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null));
const record = <T>(value: fc.Arbitrary<T>) =>
  fc.uniqueArray(fc.tuple(hostileName, value), { maxLength: 4, selector: ([k]) => k })
    .map((entries) => Object.fromEntries(entries));
const task = fc.record({
  trials: fc.array(
    fc.record({ params: record(paramValue), value: finite }, { noNullPrototype: true }),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
  metaFeatures: fc.option(record(fc.oneof(finite, fc.constant(NaN))), { nil: undefined }),
}, { noNullPrototype: true });
const tasks = fc.uniqueArray(hostileName, { minLength: 1, maxLength: 5 }).chain((ids) =>
  fc.tuple(...ids.map((id) => task.map((t) => ({ id, ...t }))))
);

Deno.test("property: a store with hostile ids and names round trips exactly through JSON", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    fc.assert(
      fc.property(tasks, (list) => {
        const store = TaskStore.from(list);
        const text = JSON.stringify(store.toJSON());
        const back = TaskStore.fromJSON(parseJson(text));
        assert.equal(JSON.stringify(back.toJSON()), text);
        assert.deepEqual(back.tasks.map((t) => t.id), list.map((t) => t.id));
        back.tasks.forEach((t, i) => {
          assert.deepEqual(t.trials, list[i].trials);
          if (list[i].metaFeatures === undefined) assert.equal(t.metaFeatures, undefined);
          else {
            assert.deepEqual(Object.keys(t.metaFeatures!), Object.keys(list[i].metaFeatures!));
            assert.deepEqual(Object.values(t.metaFeatures!), Object.values(list[i].metaFeatures!));
          }
          assert.equal(back.get(t.id), t);
        });
        saveTaskStore(store, path);
        assert.equal(JSON.stringify(loadTaskStore(path).toJSON()), text);
      }),
      propertyParams(100),
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("property: the meta-dataset reader groups rows by any task id, in first-seen order", () => {
  const rows = fc.array(
    fc.record({ task: hostileName, config: record(paramValue), err: fc.option(finite) }, {
      noNullPrototype: true,
    }),
    { minLength: 1, maxLength: 12 },
  );
  fc.assert(
    fc.property(rows, fc.boolean(), (rowList, withMetaFeatures) => {
      const ids = [...new Set(rowList.map((r) => r.task))];
      const metaFeatures = withMetaFeatures
        ? Object.fromEntries(ids.filter((_, i) => i % 2 === 0).map((id, i) => [id, { [id]: i }]))
        : undefined;
      // Through JSON text, as read from a file: own "__proto__" keys, no prototypes.
      const json = parseJson(JSON.stringify({ rows: rowList, metaFeatures }));
      const expected = new Map<string, { params: unknown; value: number }[]>();
      for (const row of rowList) {
        if (!expected.has(row.task)) expected.set(row.task, []);
        if (row.err !== null) expected.get(row.task)!.push({ params: row.config, value: row.err });
      }
      let prior;
      try {
        prior = priorTasksFromMetaDataset(json, { metric: "err" });
      } catch (error) {
        // The one legitimate failure: no row at all has a value.
        assert.match((error as Error).message, /no row of metaDataset has a finite "err"/);
        assert.ok([...expected.values()].every((trials) => trials.length === 0));
        return;
      }
      // A task whose rows all failed has no trial and is left out.
      assert.deepEqual(prior.map((t) => t.id), ids.filter((id) => expected.get(id)!.length > 0));
      prior.forEach((t) => {
        assert.deepEqual(t.trials, expected.get(t.id));
        const own = metaFeatures && Object.hasOwn(metaFeatures, t.id);
        assert.deepEqual(t.metaFeatures, own ? { [t.id]: metaFeatures[t.id][t.id] } : undefined);
      });
    }),
    propertyParams(150),
  );
});
