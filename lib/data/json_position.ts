/**
 * Finds where JSON text first goes wrong. V8's `JSON.parse` errors often carry no position, and a
 * user needs a line and column to fix a file; this scanner is only run after a parse failed.
 *
 * The scanner is iterative: open arrays and objects live on an explicit stack, so nesting as deep
 * as the input is long (`"[".repeat(1e6)`) costs memory, never the call stack.
 *
 * @module
 */

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const HEX = /^[0-9a-fA-F]{4}$/;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/** What the scanner expects next inside an open container. */
const enum Expect {
  /** A value (or, right after `[`, a closing `]`). */
  ArrayValueOrEnd,
  /** A `,` or `]` after an array element. */
  ArrayCommaOrEnd,
  /** A key string (or, right after `{`, a closing `}`). */
  ObjectKeyOrEnd,
  /** A key string after a `,`. */
  ObjectKey,
  /** A `,` or `}` after a member value. */
  ObjectCommaOrEnd,
}

/**
 * The 0-based offset of the first JSON syntax error in `text`, or `-1` if the text is valid JSON.
 * Runs in linear time with constant call-stack depth, whatever the nesting depth.
 *
 * @example
 * ```ts
 * import { jsonErrorOffset } from "./json_position.ts";
 * jsonErrorOffset('{"a": }'); // 6
 * jsonErrorOffset("[1, 2]"); // -1
 * jsonErrorOffset("[".repeat(100_000)); // 100000 (end of input)
 * ```
 */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  let i = 0;
  const ws = () => {
    while (i < n && WHITESPACE.has(text[i])) i++;
  };
  /** Scans a string starting at its opening quote; returns the error offset or -1. */
  const string = (): number => {
    i++; // opening quote
    while (i < n) {
      const c = text[i];
      if (c === '"') {
        i++;
        return -1;
      }
      if (c < " ") return i;
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!HEX.test(text.slice(i + 2, i + 6))) return i + 1;
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) i += 2;
        else return i + 1;
      } else i++;
    }
    return i;
  };
  /** Scans a scalar or opens a container at `i`; returns the error offset or -1. */
  const stack: Expect[] = [];
  const valueStart = (): number => {
    const c = text[i];
    if (c === "{") {
      i++;
      stack.push(Expect.ObjectKeyOrEnd);
      return -1;
    }
    if (c === "[") {
      i++;
      stack.push(Expect.ArrayValueOrEnd);
      return -1;
    }
    if (c === '"') return string();
    for (const word of ["true", "false", "null"]) {
      if (c === word[0]) {
        if (!text.startsWith(word, i)) return i;
        i += word.length;
        return -1;
      }
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match || match[0] === "" || match[0] === "-") return i;
      i += match[0].length;
      return -1;
    }
    return i;
  };
  /** After a complete value: what the enclosing container expects next. */
  const valueDone = () => {
    const top = stack.length - 1;
    if (top < 0) return;
    stack[top] = stack[top] === Expect.ArrayValueOrEnd || stack[top] === Expect.ArrayCommaOrEnd
      ? Expect.ArrayCommaOrEnd
      : Expect.ObjectCommaOrEnd;
  };

  ws();
  const first = valueStart();
  if (first >= 0) return first;
  if (stack.length === 0) valueDone();
  while (stack.length > 0) {
    ws();
    const top = stack.length - 1;
    const state = stack[top];
    const c = text[i];
    if (state === Expect.ArrayValueOrEnd && c === "]") {
      i++;
      stack.pop();
      valueDone();
      continue;
    }
    if (state === Expect.ArrayValueOrEnd) {
      const depth = stack.length;
      const error = valueStart();
      if (error >= 0) return error;
      if (stack.length === depth) valueDone();
      continue;
    }
    if (state === Expect.ArrayCommaOrEnd || state === Expect.ObjectCommaOrEnd) {
      const close = state === Expect.ArrayCommaOrEnd ? "]" : "}";
      if (c === close) {
        i++;
        stack.pop();
        valueDone();
      } else if (c === ",") {
        i++;
        if (state === Expect.ArrayCommaOrEnd) {
          // An element must follow: scan it now (a closing bracket here is an error).
          ws();
          const depth = stack.length;
          const error = valueStart();
          if (error >= 0) return error;
          if (stack.length === depth) valueDone();
        } else {
          stack[top] = Expect.ObjectKey;
        }
      } else return i;
      continue;
    }
    // ObjectKeyOrEnd or ObjectKey.
    if (state === Expect.ObjectKeyOrEnd && c === "}") {
      i++;
      stack.pop();
      valueDone();
      continue;
    }
    if (c !== '"') return i;
    const keyError = string();
    if (keyError >= 0) return keyError;
    ws();
    if (text[i] !== ":") return i;
    i++;
    ws();
    // The member value: a container pushes itself; a scalar completes the member.
    stack[top] = Expect.ObjectCommaOrEnd;
    const depth = stack.length;
    const error = valueStart();
    if (error >= 0) return error;
    if (stack.length > depth) continue;
  }
  ws();
  return i < n ? i : -1;
}
