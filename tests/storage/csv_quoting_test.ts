/**
 * A text cell is JSON-quoted when `JSON.parse` reads it (see `trialsToCSV`). `cell` only calls
 * `JSON.parse` on texts that look like JSON; these tests hold it to the plain rule (parse every
 * text), kept here as the reference, on fixed texts and on a seeded generated set.
 */
import assert from "node:assert/strict";
import { cell } from "../../lib/storage/csv.ts";

/** The reference rule: whether `JSON.parse` reads `text`, by trying it. */
function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `cell` of a string under the reference rule: JSON-quoted when it starts with `"` or is JSON. */
function referenceCell(text: string): string {
  return text.startsWith('"') || parsesAsJson(text) ? JSON.stringify(text) : cell(text);
}

/** Seeded uniform numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** JSON's white space, and white space JSON does not skip (but `trim` and R do). */
const SPACES = [" ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u2028", "\ufeff", "\u3000"];
const PIECES = [
  ...SPACES,
  ...'[]{}",:\\-+.eEixp0123456789aTF'.split(""),
  "true",
  "false",
  "null",
  "NaN",
  "NA",
  "Inf",
  "0x1p3",
  "1i",
  "\\u0041",
  "é",
  "\ud800",
  "😀",
];

Deno.test("cell: a text JSON.parse reads is JSON-quoted, also inside JSON's white space", () => {
  const cases: [string, string][] = [
    [" [1]", '" [1]"'],
    ['\t"a"', '"\\t\\"a\\""'],
    ["{}", '"{}"'],
    [' {"a":[1,{}]}\r\n', '" {\\"a\\":[1,{}]}\\r\\n"'],
    ["\n[]\n", '"\\n[]\\n"'],
    [" -0.5e+3 ", '" -0.5e+3 "'],
    ["[", "["],
    ["[1", "[1"],
    [" [1]x", " [1]x"],
    ["{a}", "{a}"],
    ['["a]', '["a]'],
    ["\u00a0[1]", "\u00a0[1]"],
    ["\ufeff{}", "\ufeff{}"],
    ["[1]\v", "[1]\v"],
    ["1-2", "1-2"],
    ["--1", "--1"],
    ["nulls", "nulls"],
    ["red", "red"],
    ["vm/1234/0a1b2c3d", "vm/1234/0a1b2c3d"],
  ];
  for (const [text, expected] of cases) {
    assert.equal(cell(text), expected, JSON.stringify(text));
    assert.equal(cell(text), referenceCell(text), JSON.stringify(text));
  }
});

Deno.test("cell: equals the rule that parses every text, on 40,000 generated texts", () => {
  const rng = random(20240611);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
  const json = (depth: number): unknown => {
    const r = rng();
    if (depth > 2 || r < 0.3) return pick([0, -1, 2.5e-7, 1e21, 123]);
    if (r < 0.45) return pick([true, false, null]);
    if (r < 0.65) return pick(PIECES) + pick(PIECES);
    if (r < 0.85) return Array.from({ length: Math.floor(rng() * 3) }, () => json(depth + 1));
    return { [pick(PIECES)]: json(depth + 1) };
  };
  let structural = 0;
  for (let i = 0; i < 40_000; i++) {
    let text = rng() < 0.5
      ? JSON.stringify(json(0))
      : Array.from({ length: 1 + Math.floor(rng() * 6) }, () => pick(PIECES)).join("");
    // Wrap in white space, insert or delete a character: JSON and texts next to it.
    const at = Math.floor(rng() * (text.length + 1));
    const edit = rng();
    if (edit < 0.35) text = pick(SPACES) + text + pick(["", ...SPACES]);
    else if (edit < 0.55) text = text.slice(0, at) + pick(PIECES) + text.slice(at);
    else if (edit < 0.7) text = text.slice(0, at) + text.slice(at + 1);
    assert.equal(cell(text), referenceCell(text), JSON.stringify(text));
    // JSON that only the JSON part of the rule quotes: a string, array or object after white space.
    if (parsesAsJson(text) && /^[ \t\n\r]+["[{]|^[[{]/.test(text)) structural++;
  }
  assert.ok(structural > 3000, `${structural} structural JSON texts generated`);
});
