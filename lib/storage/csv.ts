/**
 * A study's trials as CSV, for spreadsheets and data frames ({@linkcode trialsToCSV};
 * `deno task studies <url> export <study> --format csv`). JSON (the study record and its
 * `StoredTrial`s, `--format json`) is the lossless export; see {@linkcode trialsToCSV} for what
 * the CSV cells mean.
 *
 * @module
 */
import { isJsonObject, type StoredTrial } from "./storage.ts";
import type { StudyDirection } from "../smbo/_direction.ts";
import type { Trial } from "../smbo/trial.ts";

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * What a JSON text can look like (RFC 8259): JSON's white space (space, tab, line feed, carriage
 * return) around an object, array or string (a first and last character that can open and close
 * one), a number's characters (`-` or a digit, then digits, `.`, `e`, `E`, `+`, `-`), `true`,
 * `false` or `null`. Every text `JSON.parse` reads matches; most that match are JSON.
 */
const JSON_LIKE = /^[ \t\n\r]*(?:[[{"][\s\S]*[\]}"]|-?\d[\d.eE+-]*|true|false|null)[ \t\n\r]*$/;

/** Whether `text` reads as a JSON value (a number, true, false, null, an array or object). */
function readsAsJson(text: string): boolean {
  // JSON.parse only where it may succeed: most texts fail the pattern, and a failed parse (its
  // exception) costs far more than the pattern.
  if (!JSON_LIKE.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The texts that pandas' `read_csv` reads as a missing value by default (its `na_values`, as of
 * pandas 2), and R's `read.csv` (`NA`).
 */
const MISSING_TOKENS = new Set([
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "None",
  "n/a",
  "nan",
  "null",
]);

/** C's `isspace`: what R's number parser skips before a number and accepts after one. */
const R_SPACE = "[ \\t\\n\\v\\f\\r]";

/**
 * One number as R's `R_strtod` reads it (R's `read.csv` infers a column's type with it, through
 * `type.convert`), matched where the sticky search starts: white space, a sign, then NaN, Inf or
 * Infinity in any case; a hexadecimal number, `0x` followed by at least one more character (hex
 * digits and points, then a binary exponent `p` whose sign and digits may be absent: `0x1p3`,
 * `0x1.8p1`, `0xp3`, `0x.`); or a decimal number with at least one digit and an exponent whose
 * digits may be absent (`1e` is 1). An unsigned `NA` is R's missing value, not a number.
 */
const R_NUMBER = new RegExp(
  `${R_SPACE}*(?:[+-]|(?!NA))(?:${anyCase("nan")}|${anyCase("inf")}(?:${anyCase("inity")})?|` +
    `0[xX](?=[\\s\\S])[\\da-fA-F.]*(?:[pP][+-]?\\d*)?|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d*)?)`,
  "y",
);

/** A regular expression source matching `word` in any case (`[nN][aA][nN]`). */
function anyCase(word: string): string {
  return [...word].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join("");
}

/** Only white space, as R's `isBlankString`. */
const R_BLANK = new RegExp(`^${R_SPACE}*$`);

/** Where R's number parser stops reading a number at `start` of `text`, or -1 for no number. */
function rNumberEnd(text: string, start: number): number {
  R_NUMBER.lastIndex = start;
  return R_NUMBER.test(text) ? R_NUMBER.lastIndex : -1;
}

/**
 * Whether R's `read.csv` reads `text` as a number: a real number (see `R_NUMBER`: `0x1p3`, `1e`,
 * ` 2 `), or a complex one, its imaginary part written with a trailing `i` after a real part or
 * alone (`1i`, `2+3i`, `-1.5e2-3i`, `1 2i`, `Infi`), as R's `type.convert` reads them (`strtoc`).
 */
function readsAsRNumber(text: string): boolean {
  const real = rNumberEnd(text, 0);
  if (real < 0) return false;
  if (R_BLANK.test(text.slice(real))) return true;
  const imaginary = text[real] === "i" ? real : rNumberEnd(text, real);
  return imaginary >= 0 && text[imaginary] === "i" && R_BLANK.test(text.slice(imaginary + 1));
}

/**
 * Whether a CSV reader that infers types would read `text` as a number, a boolean or a missing
 * value rather than as the string: a decimal number in any form (`.5`, `1.`, `01`, `+1`, `1e5`,
 * surrounding spaces), infinity or NaN in any case, what R reads as a number besides (a
 * hexadecimal number such as `0x1F` or `0x1.8p1`, a complex number such as `1i` or `2+3i`, a
 * decimal one with an empty exponent such as `1e`), `true` or `false` in any case, R's `T` and
 * `F`, or a missing-value token of pandas or R (`NA`, `N/A`, `None`, `#N/A`, ...).
 */
function readsAsOtherValue(text: string): boolean {
  const trimmed = text.trim();
  return MISSING_TOKENS.has(text) || MISSING_TOKENS.has(trimmed) ||
    /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ||
    /^[+-]?(inf|infinity|nan)$/i.test(trimmed) || readsAsRNumber(text) ||
    /^(true|false)$/i.test(trimmed) || trimmed === "T" || trimmed === "F";
}

/**
 * @internal A cell's text: absent → empty; a string as written, unless it would read as another
 * value (empty, JSON such as `1`, `true`, `null`, `[1]`, starting with `"`, or what pandas' or R's
 * CSV readers take for a number, a boolean or a missing value, such as `.5`, `01`, `NaN`, `NA`):
 * then JSON-quoted. The rule of every text cell of the storage's CSV (the trials' export, the
 * study list); CSV's own quoting is applied after it.
 */
export function cell(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return JSON.stringify(value);
  return value.startsWith('"') || readsAsJson(value) || readsAsOtherValue(value)
    ? JSON.stringify(value)
    : value;
}

/**
 * Trials as CSV (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled):
 * one row per trial, in the given order. With `study` (a `StudyRecord` or a stored study), each
 * row starts with the study's `study` name and `direction` (`minimize` or `maximize`: which way
 * `value` improves), so that a file says what it holds, also after exports are concatenated.
 * Then `number`, `status`, `value`, `error`, `source`, `seconds`, `worker`, `lost`, `attempts`,
 * the `created`, `started` and `finished` times (ISO 8601), one `params.<name>` column per
 * parameter and `user_attrs` (a JSON object).
 *
 * CSV has no types; JSON (`deno task studies <url> export <study> --format json`) is the lossless
 * format. The cells read as follows: numbers are written as JavaScript writes them (the shortest
 * text that reads back as the same double), booleans as `true` / `false`, and an absent value (no
 * value, no error, a parameter inactive in that trial) as an empty cell. A text (the study name,
 * the error, the worker, a parameter that is a string) is written as it is, unless it would read
 * as something else: the empty string, a text that is JSON of another type (`1`, `2.5e-3`,
 * `true`, `null`, `[1]`), one that starts with `"`, or one that pandas' `read_csv` or R's
 * `read.csv` would take for a number, a boolean or a missing value (`.5`, `01`, `+1`, `1e5`,
 * `Infinity`, `NaN`, `0x1F`, `0x1p3`, `1i`, `2+3i`, `TRUE`, `T`, `NA`, `N/A`, `None`, `#N/A`,
 * and their default missing-value tokens) is written JSON-quoted. So the number 1 is `1` and the
 * choice `"1"` is `"1"` with its quotes (`"""1"""` in the file), `true` and `"true"` likewise,
 * `null` (the string) is `"null"`, and an empty-string choice is `""` (`""""""` in the file)
 * where an inactive parameter leaves the cell empty; a study named `007` is `"007"`, and a trial
 * failed with the reason `NA` has the error `"NA"`.
 *
 * The trials are a stored study's `storedTrials` (or what a storage's `trialsSince` gives, as the
 * export does), or in-memory `Trial`s: `result.trials` of `minimize`, `study.trials` of an `SMBO`
 * or stored study. In-memory trials give the same columns, their `id` as `number`; what only a
 * storage records (`worker`, `lost`, `attempts`, the three times and `user_attrs`) is left empty,
 * so a stored study's `storedTrials` is the complete export. Anything else is a `TypeError`
 * naming `trials[i]`.
 *
 * @example
 * ```ts
 * import { trialsToCSV } from "./csv.ts";
 * const csv = trialsToCSV([{
 *   number: 0, status: "complete", value: 0.25, source: "initial", lost: false, attempts: 1,
 *   params: { lr: 0.01, act: "1" }, userAttrs: {}, createdAt: 0, seq: 1,
 * }], { name: "mlp", direction: "maximize" });
 * csv.split("\n")[1];
 * // 'mlp,maximize,0,complete,0.25,,initial,,,false,1,1970-01-01T00:00:00.000Z,,,0.01,"""1""",'
 * // An in-memory trial (minimize's result.trials): the storage's columns are empty.
 * trialsToCSV([{ id: 0, status: "complete", value: 0.25, source: "initial", params: { lr: 0.01 } }])
 *   .split("\n")[1]; // "0,complete,0.25,,initial,,,,,,,,0.01,"
 * // A study name or an error that would read as a number or a missing value is JSON-quoted.
 * trialsToCSV([{ id: 0, status: "failed", error: "NA", source: "initial", params: {} }], {
 *   name: "007",
 *   direction: "minimize",
 * }).split("\n")[1]; // '"""007""",minimize,0,failed,,"""NA""",initial,,,,,,,,'
 * ```
 */
export function trialsToCSV(
  trials: readonly (StoredTrial | Trial)[],
  study?: { readonly name: string; readonly direction: StudyDirection },
): string {
  if (!Array.isArray(trials)) {
    throw new TypeError("trialsToCSV: trials: must be an array of trials");
  }
  const stored = trials.map((t, i) => asStoredFields(t, i));
  const names = [...new Set(stored.flatMap((t) => Object.keys(t.params)))];
  const header = [
    ...(study ? ["study", "direction"] : []),
    "number",
    "status",
    "value",
    "error",
    "source",
    "seconds",
    "worker",
    "lost",
    "attempts",
    "created",
    "started",
    "finished",
    ...names.map((n) => `params.${n}`),
    "user_attrs",
  ];
  const time = (ms?: number) => ms === undefined ? "" : new Date(ms).toISOString();
  const rows = stored.map((t) =>
    [
      ...(study ? [cell(study.name), study.direction] : []),
      cell(t.number),
      t.status,
      cell(t.value),
      cell(t.error),
      t.source,
      cell(t.seconds),
      cell(t.worker),
      cell(t.lost),
      cell(t.attempts),
      time(t.createdAt),
      time(t.startedAt),
      time(t.finishedAt),
      ...names.map((n) => Object.hasOwn(t.params, n) ? cell(t.params[n]) : ""),
      t.userAttrs !== undefined && Object.keys(t.userAttrs).length > 0 ? cell(t.userAttrs) : "",
    ].map(csvField).join(",")
  );
  return [header.map(csvField).join(","), ...rows].join("\n") + "\n";
}

/** The fields of a row: a stored trial's own, or an in-memory trial's with `id` as `number`. */
type RowFields =
  & Pick<StoredTrial, "number" | "status" | "params" | "source">
  & Partial<Omit<StoredTrial, "number" | "status" | "params" | "source">>;

/** A trial's fields, or a `TypeError` naming `trials[i]` and what the function takes. */
function asStoredFields(trial: unknown, i: number): RowFields {
  const ok = isJsonObject(trial) && isJsonObject(trial.params) &&
    (Number.isInteger(trial.number) || Number.isInteger(trial.id));
  if (!ok) {
    throw new TypeError(
      `trialsToCSV: trials[${i}]: must be a trial: a stored study's storedTrials (or a ` +
        "storage's trialsSince), or in-memory trials (minimize's result.trials, study.trials)",
    );
  }
  if (Number.isInteger(trial.number)) return trial as unknown as StoredTrial;
  const t = trial as unknown as Trial;
  return {
    number: t.id,
    status: t.status,
    params: t.params,
    source: t.source,
    value: t.value,
    error: t.error,
    seconds: t.seconds,
  };
}
