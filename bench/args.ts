/**
 * Command-line values of the benchmark scripts, checked: an error names the flag and what it got.
 *
 * @module
 */

import { integerOption } from "../lib/cli_paths.ts";

/**
 * The integer `text` of flag `--flag`, at least `min`.
 *
 * @throws {RangeError} naming the flag when `text` is not an integer ≥ `min` written in decimal
 * digits ({@linkcode integerOption}: `1e3`, `1.5` and `""` are refused).
 *
 * @example
 * ```ts
 * import { integerArg } from "./args.ts";
 * integerArg("20", "seeds", 1); // 20
 * ```
 */
export function integerArg(text: string, flag: string, min: number): number {
  return integerOption(flag, text, min);
}

/**
 * `word` as a POSIX shell reads it back: unchanged when it holds only characters the shell takes
 * literally, else in single quotes (a `'` inside written `'\''`).
 *
 * @example
 * ```ts
 * import { shellQuote } from "./args.ts";
 * shellQuote("out/my run"); // "'out/my run'"
 * shellQuote("--seeds=3"); // "--seeds=3"
 * ```
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The words of a command line written by {@linkcode shellQuote}: split at unquoted blanks,
 * single-quoted and double-quoted parts taken literally (no escapes inside single quotes, `\"`
 * and `\\` inside double quotes, `\x` outside quotes).
 *
 * @example
 * ```ts
 * import { shellWords } from "./args.ts";
 * shellWords("deno task bench --out 'my run'"); // ["deno", "task", "bench", "--out", "my run"]
 * ```
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === " " || c === "\t" || c === "\n") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError(`unterminated ' in ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= "";
      for (i++; i < line.length && line[i] !== '"'; i++) {
        word += line[i] === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")
          ? line[++i]
          : line[i];
      }
      if (i >= line.length) throw new SyntaxError(`unterminated " in ${line}`);
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[++i];
    } else word = (word ?? "") + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}
