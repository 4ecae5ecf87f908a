import assert from "node:assert/strict";
import { DataError, parseDelimited, tableFromCsv, tableFromTsv } from "../../lib/data/mod.ts";

Deno.test("parseDelimited: lone CR (classic Mac OS), LF and CRLF all end records", () => {
  for (const eol of ["\n", "\r\n", "\r"]) {
    const text = `a,b${eol}1,"x${eol}y"${eol}${eol}3,4${eol}`;
    const parsed = parseDelimited(text, ",", "eol.csv");
    assert.deepEqual(parsed.header, ["a", "b"], JSON.stringify(eol));
    assert.deepEqual(parsed.rows, [["1", `x${eol}y`], ["3", "4"]], JSON.stringify(eol));
    assert.deepEqual(parsed.lines, [2, 5], JSON.stringify(eol));
    assert.equal(parsed.blankLines, 1);
  }
  // Mixed endings in one file.
  const mixed = parseDelimited("a\r1\n2\r\n3", ",", "m.csv");
  assert.deepEqual(mixed.rows, [["1"], ["2"], ["3"]]);
  assert.deepEqual(mixed.lines, [2, 3, 4]);
});

Deno.test("parseDelimited: errors in CR files name the right line", () => {
  const ragged = () => tableFromCsv('a,b\r1,2\r"q\rq",3\r4\r', { source: "mac.csv" });
  assert.throws(
    ragged,
    (e) => e instanceof DataError && e.line === 5 && /mac\.csv:5:/.test(e.message),
  );
  const afterQuote = () => tableFromCsv('a,b\r1,2\r"q\rq"x,3\r', { source: "mac.csv" });
  assert.throws(afterQuote, (e) => e instanceof DataError && e.line === 4);
  const open = () => tableFromTsv('a\tb\r1\t2\r\r"open\r', { source: "mac.tsv" });
  assert.throws(
    open,
    (e) => e instanceof DataError && e.line === 4 && /opened on line 4/.test(e.message),
  );
});

Deno.test("parseDelimited: a 2 MB quoted field with doubled quotes and line breaks is read intact", () => {
  const piece = 'say ""hi""\r\nnext\rline\n, and a comma';
  const raw = piece.repeat(Math.ceil(2_000_000 / piece.length));
  const { rows, lines } = parseDelimited(`a,b\n"${raw}",1\n2,3\n`, ",", "big.csv");
  assert.equal(rows[0][0], raw.replaceAll('""', '"'));
  assert.equal(rows[0][1], "1");
  // Header line, the record's own line, three line breaks per piece (CRLF, CR, LF): exact.
  assert.equal(lines[1], 3 + 3 * (raw.length / piece.length));
});

Deno.test("parseDelimited: a trailing delimiter is one more empty field", () => {
  assert.deepEqual(parseDelimited("a,b\n1,\n", ",", "t").rows, [["1", ""]]);
  assert.deepEqual(parseDelimited("a,b\r1,", ",", "t").rows, [["1", ""]]);
});

Deno.test("parseDelimited: a line of spaces and tabs is blank when there are several columns", () => {
  const middle = parseDelimited("a,b\n1,2\n   \n3,4\n", ",", "t");
  assert.deepEqual(middle.rows, [["1", "2"], ["3", "4"]]);
  assert.deepEqual(middle.lines, [2, 4]);
  assert.equal(middle.blankLines, 1);
  const last = parseDelimited("a,b\r\n1,2\r\n \t \r\n3,4\r\n  ", ",", "t");
  assert.deepEqual(last.rows, [["1", "2"], ["3", "4"]]);
  assert.equal(last.blankLines, 2);
  // In TSV a tab is the delimiter: a line of tabs is a record of empty fields.
  assert.deepEqual(parseDelimited("a\tb\n\t\n  \n", "\t", "t").rows, [["", ""]]);
  // In a one-column file the spaces are the record's one field.
  assert.deepEqual(parseDelimited("a\n1\n  \n", ",", "t").rows, [["1"], ["  "]]);
  // Spaces before a field still make a record.
  assert.throws(() => parseDelimited("a,b\n  x\n", ",", "s.csv"), /s\.csv:2: row has 1 fields/);
});
