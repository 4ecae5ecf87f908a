/**
 * `JSON.parse` that keeps every object key exactly, for the loaders of user files (tables, task
 * stores, the meta-dataset), and the keys of JSON text in the order written ({@linkcode
 * writtenKeys}: a parsed object lists keys that look like array indices first).
 *
 * The V8 engine of Deno 2.9 (V8 15.0) mis-reads some escaped object keys: after it has parsed an
 * object with a key such as `"\\"`, a later object with the same preceding keys and another
 * escaped key (`"\n"`, `"\u0000"`) may get the earlier key instead of its own, silently. Node
 * 20's V8 reads them correctly. Keys without a backslash are read correctly, so
 * {@linkcode parseJson} replaces every key that contains an escape by a placeholder made of a
 * character that occurs nowhere in the text and a number, decodes the key on its own (a string
 * literal, not a key), parses, and puts the decoded keys back in place. Texts without a backslash
 * take `JSON.parse` alone.
 *
 * @module
 */

/**
 * A key (a string followed by `:`) whose content holds at least one escape: runs of plain
 * characters and escape pairs, so an escaped quote never ends it. Structural text between strings
 * has no backslash, so a match cannot start at a closing quote.
 */
const ESCAPED_KEY = /"((?:[^"\\]*\\.)+[^"\\]*)"(\s*:)/g;

/**
 * Parses JSON text like `JSON.parse`, with every object key read exactly (see the module
 * documentation); throws `JSON.parse`'s `SyntaxError` for invalid text.
 *
 * @example
 * ```ts
 * import { parseJson } from "./json.ts";
 * parseJson('[{"a": 1, "\\\\": 2}, {"a": 1, "\\n": 3}]'); // [{ a: 1, "\\": 2 }, { a: 1, "\n": 3 }]
 * ```
 */
export function parseJson(text: string): unknown {
  if (typeof text !== "string") throw new TypeError("parseJson.text: must be a string");
  if (!text.includes("\\")) return JSON.parse(text);
  const sentinel = unusedCharacter(text);
  if (sentinel === undefined) return JSON.parse(text);
  const names: string[] = [];
  const numbers = new Map<string, number>();
  const marked = text.replace(ESCAPED_KEY, (match, key: string, colon: string) => {
    let name: string;
    try {
      name = JSON.parse(`"${key}"`);
    } catch {
      return match; // an invalid escape: JSON.parse of the text reports it below
    }
    let number = numbers.get(name);
    if (number === undefined) {
      number = names.length;
      names.push(name);
      numbers.set(name, number);
    }
    return `"${sentinel}${number}${sentinel}"${colon}`;
  });
  if (names.length === 0) return JSON.parse(text);
  let value: unknown;
  try {
    value = JSON.parse(marked);
  } catch {
    return JSON.parse(text); // throws the error of the text as written
  }
  restoreKeys(value, sentinel, names);
  return value;
}

/** A private-use character that occurs in `text` neither raw nor as a `\u` escape. */
function unusedCharacter(text: string): string | undefined {
  const lower = text.toLowerCase();
  for (let code = 0xe000; code <= 0xf8ff; code++) {
    const ch = String.fromCharCode(code);
    if (!text.includes(ch) && !lower.includes(`\\u${code.toString(16)}`)) return ch;
  }
  return undefined;
}

/** Puts the decoded keys in place of their placeholders, in place, keeping key order. */
function restoreKeys(root: unknown, sentinel: string, names: readonly string[]): void {
  const original = (key: string) =>
    key.length > 2 && key.startsWith(sentinel) && key.endsWith(sentinel)
      ? names[Number(key.slice(sentinel.length, -sentinel.length))]
      : key;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === "object") stack.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record);
    const entries = keys.map((key) => [original(key), record[key]] as const);
    if (keys.some((key, i) => entries[i][0] !== key)) {
      for (const key of keys) delete record[key];
      for (const [name, value] of entries) {
        Object.defineProperty(record, name, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
    }
    for (const [, child] of entries) {
      if (child !== null && typeof child === "object") stack.push(child);
    }
  }
}

/**
 * @internal The keys of valid JSON text in the order written: of the top-level object (`"columns"`), or of
 * each record of the top-level array (`"records"`), one list per object. Open containers live on
 * an explicit stack, so any nesting depth is fine.
 */
export function writtenKeys(text: string, shape: "records" | "columns"): string[][] {
  const lists: string[][] = [];
  const open: number[] = [];
  const depth = shape === "records" ? 2 : 1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      open.push(c);
      if (c === 0x7b && open.length === depth) lists.push([]);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
    } else if (c === 0x22 /* " */) {
      let end = i + 1;
      while (end < n && text.charCodeAt(end) !== 0x22) {
        end += text.charCodeAt(end) === 0x5c ? 2 : 1;
      }
      let next = end + 1;
      while (next < n && /\s/.test(text[next])) next++;
      if (text[next] === ":" && open.length === depth && open.at(-1) === 0x7b) {
        const raw = text.slice(i + 1, end);
        lists.at(-1)!.push(raw.includes("\\") ? JSON.parse(`"${raw}"`) : raw);
      }
      i = end;
    }
  }
  return lists;
}
