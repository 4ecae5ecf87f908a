/**
 * Property-based tests of the loaders: hostile texts never escape as anything but a DataError,
 * and tables written as CSV, TSV or JSON read back exactly. Run counts: tests/_property.ts.
 */
import assert from "node:assert/strict";
import { fc } from "../_fast_check.ts";
import { propertyParams } from "../_property.ts";
import {
  DataError,
  parseDelimited,
  tableFromCsv,
  tableFromJson,
  tableFromTsv,
} from "../../lib/data/mod.ts";
import { jsonErrorOffset } from "../../lib/data/json_position.ts";

/** Characters that break naive parsers, plus ordinary ones, astral and combining characters. */
const hostileChar = fc.constantFrom(
  ",",
  "\t",
  '"',
  "\n",
  "\r",
  "\r\n",
  " ",
  "a",
  "b",
  "0",
  "1",
  "9",
  ".",
  "-",
  "+",
  "e",
  "E",
  "inf",
  "NaN",
  "NA",
  "?",
  "null",
  "1e999",
  "{",
  "}",
  "[",
  "]",
  ":",
  "\\",
  "\u00e9",
  "\u0301",
  "\ud83d\ude00",
  "\ufeff",
  "\u2028",
  "\u0000",
  "\ud800",
);
const hostileText = fc.array(hostileChar, { maxLength: 80 }).map((parts) => parts.join(""));
const lineEnd = fc.constantFrom("\n", "\r\n", "\r");

/** Runs a loader and accepts only a result or a DataError. */
function onlyDataErrors(load: () => unknown): void {
  try {
    load();
  } catch (error) {
    if (!(error instanceof DataError)) {
      throw new Error(`not a DataError: ${(error as Error)?.stack ?? error}`);
    }
  }
}

Deno.test("property: hostile CSV, TSV and JSON texts give a table or a DataError, nothing else", () => {
  fc.assert(
    fc.property(hostileText, (text) => {
      onlyDataErrors(() => tableFromCsv(text));
      onlyDataErrors(() => tableFromTsv(text));
      onlyDataErrors(() => tableFromJson(text));
      onlyDataErrors(() => tableFromJson(`[${text}]`));
      onlyDataErrors(() => tableFromJson(`{"a": [${text}]}`));
    }),
    propertyParams(300),
  );
});

/** A JSON-like text: nested containers, scalars and junk, at most a few thousand levels deep. */
const jsonish: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("1", "-0.5e3", "1e999", "true", "null", '"x\\u00e9"', '"', "tru", "01", ""),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
    fc.array(fc.tuple(fc.constantFrom('"a"', '"__proto__"', "b", '""'), tie("value")), {
      maxLength: 3,
    }).map((members) => `{${members.map(([k, v]) => `${k}:${v}`).join(",")}}`),
  ),
})).value;
const deep = fc.tuple(
  fc.integer({ min: 1, max: 20_000 }),
  fc.constantFrom("[", "{", '{"a":'),
  fc.boolean(),
)
  .map(([depth, open, close]) =>
    open.repeat(depth) + (close ? (open === "[" ? "]" : "}").repeat(depth) : "")
  );

Deno.test("property: the JSON error locator agrees with JSON.parse, at any nesting depth", () => {
  fc.assert(
    fc.property(fc.oneof(jsonish, deep, hostileText), (text) => {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      const offset = jsonErrorOffset(text);
      assert.equal(
        offset === -1,
        valid,
        `offset ${offset} for ${JSON.stringify(text.slice(0, 80))}`,
      );
      assert.ok(offset <= text.length);
      onlyDataErrors(() => tableFromJson(text));
    }),
    propertyParams(300),
  );
});

/** A cell of a delimited file: anything, including delimiters, quotes and line breaks. */
const cell = fc.oneof(
  hostileText,
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.double({ noNaN: true }).map(String),
);
const header = (width: number) =>
  fc.uniqueArray(fc.oneof(hostileText, fc.constantFrom("constructor", "__proto__", "toString")), {
    minLength: width,
    maxLength: width,
  }).filter((names) => names.every((n) => n.trim() !== ""));

function writeDelimited(
  rows: string[][],
  delimiter: string,
  eol: string,
  quoteAll: boolean,
): string {
  const field = (text: string) =>
    quoteAll || text === "" || /[",\t\r\n]/.test(text) || text.startsWith("\ufeff")
      ? `"${text.replaceAll('"', '""')}"`
      : text;
  return rows.map((row) => row.map(field).join(delimiter)).join(eol) + eol;
}

Deno.test("property: CSV and TSV written with RFC 4180 quoting and any line ending read back exactly", () => {
  const table = fc.integer({ min: 1, max: 4 }).chain((width) =>
    fc.tuple(
      header(width),
      fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 6 }),
    )
  );
  fc.assert(
    fc.property(
      table,
      lineEnd,
      fc.constantFrom(",", "\t"),
      fc.boolean(),
      ([names, rows], eol, delimiter, quoteAll) => {
        const text = writeDelimited([names, ...rows], delimiter, eol, quoteAll);
        const parsed = parseDelimited(text, delimiter, "roundtrip");
        assert.deepEqual(parsed.header, names);
        assert.deepEqual(parsed.rows, rows);
        // Every record starts on the line after the previous one's last line break.
        const breaks = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;
        let line = 1 + names.reduce((n, name) => n + breaks(name), 0) + 1;
        rows.forEach((row, r) => {
          assert.equal(parsed.lines[r], line, `line of record ${r}`);
          line += row.reduce((n, c) => n + breaks(c), 0) + 1;
        });
        // The typed loaders accept the same text (or name a problem with a DataError).
        onlyDataErrors(() => (delimiter === "," ? tableFromCsv : tableFromTsv)(text));
      },
    ),
    propertyParams(200),
  );
});

const finiteNumber = fc.double({ noNaN: true, noDefaultInfinity: true }).map((
  x,
) => (x === 0 ? 0 : x));
const hostileKey = fc.oneof(
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
  fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty", '"', "a,b", "\n"),
);

Deno.test("property: numeric columns round trip exactly through JSON records, JSON columns and CSV", () => {
  const columns = fc.uniqueArray(hostileKey, { minLength: 1, maxLength: 4 }).filter((names) =>
    names.every((n) => n.trim() !== "")
  ).chain((names) =>
    fc.array(
      fc.array(fc.option(finiteNumber, { nil: null }), {
        minLength: names.length,
        maxLength: names.length,
      }),
      {
        minLength: 1,
        maxLength: 8,
      },
    ).map((rows) => ({ names, rows }))
  );
  fc.assert(
    fc.property(columns, ({ names, rows }) => {
      // Records as JSON text (own "__proto__" keys included), columns as JSON text, and CSV.
      const recordsText = `[${
        rows.map((row) =>
          `{${names.map((n, j) => `${JSON.stringify(n)}:${JSON.stringify(row[j])}`).join(",")}}`
        )
          .join(",")
      }]`;
      const columnsText = `{${
        names.map((n, j) => `${JSON.stringify(n)}:${JSON.stringify(rows.map((row) => row[j]))}`)
          .join(",")
      }}`;
      const csvText = writeDelimited(
        [names, ...rows.map((row) => row.map((v) => (v === null ? "" : String(v))))],
        ",",
        "\n",
        false,
      );
      for (
        const [format, loaded] of [
          ["records", tableFromJson(recordsText)],
          ["columns", tableFromJson(columnsText)],
          ["csv", tableFromCsv(csvText)],
        ] as const
      ) {
        assert.deepEqual(loaded.table.columnNames(), names, format);
        names.forEach((name, j) => {
          const expected = rows.map((row) => row[j]);
          assert.deepEqual(Array.from(loaded.table.array(name)), expected, `${format} ${name}`);
          const summary = loaded.report.columns[j];
          assert.equal(summary.missing, expected.filter((v) => v === null).length);
          assert.equal(summary.nonFinite, 0);
        });
      }
    }),
    propertyParams(200),
  );
});

Deno.test("property: a number literal reads the same from CSV, TSV and JSON (non-finite → missing)", () => {
  const literal = fc.tuple(
    fc.constantFrom("", "-"),
    fc.oneof(fc.constant("0"), fc.stringMatching(/^[1-9][0-9]{0,5}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
    fc.option(
      fc.tuple(
        fc.constantFrom("e", "E"),
        fc.constantFrom("", "+", "-"),
        fc.integer({ min: 0, max: 1200 }),
      ),
      {
        nil: undefined,
      },
    ),
  ).map(([sign, int, frac, exp]) =>
    `${sign}${int}${frac === undefined ? "" : `.${frac}`}${
      exp === undefined ? "" : `${exp[0]}${exp[1]}${exp[2]}`
    }`
  );
  fc.assert(
    fc.property(fc.array(literal, { minLength: 1, maxLength: 5 }), (literals) => {
      const csv = tableFromCsv(`a\n${literals.join("\n")}\n`);
      const tsv = tableFromTsv(`a\n${literals.join("\r")}\r`);
      const json = tableFromJson(`[${literals.map((l) => `{"a":${l}}`).join(",")}]`);
      const expected = literals.map((l) => (Number.isFinite(Number(l)) ? Number(l) : null));
      for (const loaded of [csv, tsv, json]) {
        assert.deepEqual(Array.from(loaded.table.array("a")), expected);
        assert.equal(loaded.report.columns[0].nonFinite, expected.filter((v) => v === null).length);
      }
    }),
    propertyParams(200),
  );
});
