/**
 * Tables as escaped HTML with compact number formatting, from records or arquero tables.
 *
 * @module
 */
import { z } from "../deps/zod.ts";
import { parseOrThrow } from "../validate.ts";

/**
 * Records, such as a study's `Trial`s (nested plain objects become dotted columns), or anything
 * with arquero's `objects()`.
 */
export type TableLike =
  | readonly object[]
  | { objects(): object[] };

/**
 * A number in three significant digits, switching to exponent notation below 1e-3 and from 1e4
 * (integers below 1e6 stay whole); NaN and ±Infinity spelled out.
 *
 * @example
 * ```ts
 * import { formatNumber } from "./table.ts";
 * formatNumber(0.123456); // "0.123"
 * formatNumber(6.3e-5);   // "6.30e-5"
 * formatNumber(1234.5);   // "1230"
 * ```
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(2);
  // toPrecision writes 999.5 ≤ |x| < 1e4 with an exponent (1.23e+3): as a plain number instead.
  const rounded = value.toPrecision(3);
  return rounded.includes("e") ? String(Number(rounded)) : rounded;
}

/**
 * An estimate with its interval as "center [lower, upper]" in {@linkcode formatNumber}'s format,
 * each multiplied by `scale` (e.g. 1000 for seconds shown as milliseconds).
 *
 * @example
 * ```ts
 * import { formatInterval } from "./table.ts";
 * formatInterval({ center: 0.406, lower: 0.178, upper: 0.605 }); // "0.406 [0.178, 0.605]"
 * formatInterval({ center: 0.0028, lower: 0.0025, upper: 0.003 }, 1000); // "2.80 [2.50, 3]"
 * ```
 */
export function formatInterval(
  interval: { readonly center: number; readonly lower: number; readonly upper: number },
  scale = 1,
): string {
  const { center, lower, upper } = interval;
  return `${formatNumber(scale * center)} [${formatNumber(scale * lower)}, ${
    formatNumber(scale * upper)
  }]`;
}

/**
 * Text escaped for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./table.ts";
 * escapeHtml(`<a href="x">&</a>`); // "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/**
 * The records of a table: the array itself, or an arquero table's `objects()`.
 *
 * @example
 * ```ts
 * import { tableRecords } from "./table.ts";
 * tableRecords([{ a: 1 }]); // [{ a: 1 }]
 * ```
 */
export function tableRecords(table: TableLike): readonly Record<string, unknown>[] {
  if (Array.isArray(table)) return table as readonly Record<string, unknown>[];
  if (table !== null && typeof (table as { objects?: unknown }).objects === "function") {
    return (table as { objects(): object[] }).objects() as Record<string, unknown>[];
  }
  throw new TypeError("tableHtml: table must be an array of records or an arquero table");
}

/**
 * @internal The number of rows a table shows: an integer ≥ 0, or `Infinity` for every row
 * (the option `limit` of {@linkcode tableHtml} and `showTable`).
 */
export const tableLimitSchema: z.ZodType<number> = z.custom<number>(
  (v) => v === Infinity || (typeof v === "number" && Number.isInteger(v) && v >= 0),
  "must be an integer ≥ 0, or Infinity for every row",
);

/** The options of {@linkcode tableHtml}; strict, so a misspelt key is an error naming it. */
const tableOptionsSchema = z.strictObject({
  caption: z.string().optional(),
  missing: z.string().optional(),
  limit: tableLimitSchema.optional(),
});

/** @internal Whether `value` is a plain object (a literal, `Object.create(null)`), not a class's. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A record with its nested plain objects flattened into dotted keys, as pandas' `json_normalize`
 * (and so Optuna's `trials_dataframe`) does: `{ id: 0, params: { lr: 0.01 } }` gives
 * `{ id: 0, "params.lr": 0.01 }`. An empty nested object stays as it is under its key; arrays and
 * other values are kept (and shown as JSON). Two values that would share a column (a key
 * `"params.lr"` beside `params: { lr }`) are a TypeError naming both (`label`): one would be lost.
 */
function flattenRecord(record: Record<string, unknown>, label: string): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  const origins = new Map<string, readonly string[]>();
  const ancestors = new Set<object>();
  const visit = (object: Record<string, unknown>, path: readonly string[]) => {
    ancestors.add(object);
    for (const key of Object.keys(object)) {
      const value = object[key];
      const at = [...path, key];
      if (isPlainObject(value) && Object.keys(value).length > 0 && !ancestors.has(value)) {
        visit(value, at);
        continue;
      }
      const column = at.join(".");
      const earlier = origins.get(column);
      if (earlier !== undefined) {
        throw new TypeError(
          `${label}: ${keyPath(earlier)} and ${keyPath(at)} would both be the column ` +
            `${JSON.stringify(column)}: rename one of them`,
        );
      }
      origins.set(column, at);
      flat[column] = value;
    }
    ancestors.delete(object);
  };
  visit(record, []);
  return flat;
}

/** A key path for messages: `.params.lr`, `["params.lr"]`. */
function keyPath(path: readonly string[]): string {
  return path.map(pathKey).join("");
}

/**
 * @internal A key as a path for messages: `.key` for identifier keys, `["key"]` for others.
 *
 * @example
 * ```ts
 * import { pathKey } from "./table.ts";
 * pathKey("lr") + pathKey("params.lr"); // '.lr["params.lr"]'
 * ```
 */
export function pathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * @internal A value as compact JSON for a table cell or a line of plain text: typed arrays as
 * arrays, a bigint as its digits, a `Map` as an object and a `Set` as an array; a value without
 * JSON (a function, a cycle) as `String(value)`.
 *
 * @example
 * ```ts
 * import { compactJson } from "./table.ts";
 * compactJson({ lr: 0.01, layers: new Int32Array([64, 32]) }); // '{"lr":0.01,"layers":[64,32]}'
 * ```
 */
export function compactJson(value: unknown): string {
  const raw = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === "bigint") return raw(String(v));
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        return Array.from(v as unknown as ArrayLike<unknown>);
      }
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      return v;
    }) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The text of a cell that is neither a number nor absent. */
function cellText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (value !== null && typeof value === "object") return compactJson(value);
  return String(value);
}

/**
 * @internal The line that stands for the rows a table leaves out (`… 1,900 more rows (2,000 in
 * all)`), or undefined when it shows every row.
 *
 * @example
 * ```ts
 * import { moreRowsText } from "./table.ts";
 * moreRowsText(2000, 100); // "… 1,900 more rows (2,000 in all)"
 * ```
 */
export function moreRowsText(total: number, limit: number): string | undefined {
  if (total <= limit) return undefined;
  const hidden = total - limit;
  const count = (n: number) => n.toLocaleString("en-US");
  return `… ${count(hidden)} more row${hidden === 1 ? "" : "s"} (${count(total)} in all)`;
}

/**
 * An HTML `<table>` (class `metahpo-table`): header from the keys of all records in order of
 * appearance, numbers right-aligned and formatted with {@linkcode formatNumber}, every text
 * escaped. Alignment is inline, since notebook front ends restyle tables with their own CSS.
 * `options.missing` is the text of a cell whose value is `null`, a value that does not exist
 * (e.g. `"not run"`), shown greyed and aligned as its column's numbers; without it such a cell
 * is empty, as for a key a record lacks.
 *
 * A nested plain object becomes dotted columns, as Optuna's `trials_dataframe` flattens a trial's
 * params (`{ params: { lr, units } }` gives `params.lr` and `params.units`); two values that would
 * share a column (a key `"params.lr"` beside `params: { lr }`) are a TypeError naming both. An
 * array or any other object is shown as compact JSON, a `Date` as its ISO text. `options.limit` (default `Infinity`)
 * is the number of rows shown: the others are summed up in a last line (`… 1,900 more rows (2,000
 * in all)`); the header still has the columns of every record. Options are strict: an unknown key
 * (`{ captoin }`) is a TypeError naming it.
 *
 * @example
 * ```ts
 * import { tableHtml } from "./table.ts";
 * tableHtml([{ method: "gp-logei", regret: 6.3e-5 }], { caption: "branin" });
 * tableHtml([{ method: "tpe", regret: null }], { missing: "not run" }); // "…>not run</td>…"
 * tableHtml([{ id: 0, params: { lr: 0.01 } }]); // columns id, params.lr
 * ```
 */
export function tableHtml(
  table: TableLike,
  options: { caption?: string; missing?: string; limit?: number } = {},
): string {
  parseOrThrow(tableOptionsSchema, options, "tableHtml: options");
  const limit = options.limit ?? Infinity;
  const records = tableRecords(table).map((r, i) => {
    if (r === null || typeof r !== "object") {
      throw new TypeError(`tableHtml: table[${i}]: must be a record`);
    }
    return flattenRecord(r, `tableHtml: table[${i}]`);
  });
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const numeric = new Set(columns.filter((c) => records.some((r) => typeof r[c] === "number")));
  const cell = (value: unknown, column: string): string => {
    if (typeof value === "number") {
      return `<td class="num" style="text-align:right">${escapeHtml(formatNumber(value))}</td>`;
    }
    if (value === null && options.missing !== undefined) {
      return `<td class="missing" style="text-align:${
        numeric.has(column) ? "right" : "left"
      };color:#767676">${escapeHtml(options.missing)}</td>`;
    }
    return `<td style="text-align:left">${
      escapeHtml(value === undefined || value === null ? "" : cellText(value))
    }</td>`;
  };
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  const more = moreRowsText(records.length, limit);
  const foot = more === undefined
    ? ""
    : `<tfoot><tr><td class="more" colspan="${
      Math.max(1, columns.length)
    }" style="text-align:left;color:#767676">${escapeHtml(more)}</td></tr></tfoot>`;
  return `<table class="metahpo-table">${caption}<thead><tr>${
    columns.map((c) => `<th style="text-align:left">${escapeHtml(c)}</th>`).join("")
  }</tr></thead><tbody>${
    records.slice(0, limit).map((r) => `<tr>${columns.map((c) => cell(r[c], c)).join("")}</tr>`)
      .join("")
  }</tbody>${foot}</table>`;
}

/** The stylesheet of {@linkcode tableHtml} tables (also inlined by the report). */
export const TABLE_CSS =
  `.metahpo-table{border-collapse:collapse;font:13px system-ui,sans-serif;margin:0.5em 0 1.5em}
.metahpo-table caption{text-align:left;font-weight:600;padding:0 0 0.4em}
.metahpo-table th,.metahpo-table td{border-bottom:1px solid #ddd;padding:0.3em 0.7em;text-align:left}
.metahpo-table th{background:#f5f5f5}
.metahpo-table td.num{text-align:right;font-variant-numeric:tabular-nums}
.metahpo-table td.missing{color:#767676}`;
