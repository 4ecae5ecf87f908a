/**
 * Tables as escaped HTML with compact number formatting, from flat records or arquero tables.
 *
 * @module
 */

/** Flat records, or anything with arquero's `objects()`. */
export type TableLike =
  | readonly Record<string, unknown>[]
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
 * ```
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const magnitude = Math.abs(value);
  return magnitude >= 1e4 || magnitude < 1e-3 ? value.toExponential(2) : value.toPrecision(3);
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
  if (Array.isArray(table)) return table;
  if (table !== null && typeof (table as { objects?: unknown }).objects === "function") {
    return (table as { objects(): object[] }).objects() as Record<string, unknown>[];
  }
  throw new TypeError("tableHtml: table must be an array of records or an arquero table");
}

/**
 * An HTML `<table>` (class `metahpo-table`): header from the keys of all records in order of
 * appearance, numbers right-aligned and formatted with {@linkcode formatNumber}, every text
 * escaped. Alignment is inline, since notebook front ends restyle tables with their own CSS.
 * `options.missing` is the text of a cell whose value is `null`, a value that does not exist
 * (e.g. `"not run"`), shown greyed and aligned as its column's numbers; without it such a cell
 * is empty, as for a key a record lacks.
 *
 * @example
 * ```ts
 * import { tableHtml } from "./table.ts";
 * tableHtml([{ method: "gp-logei", regret: 6.3e-5 }], { caption: "branin" });
 * tableHtml([{ method: "tpe", regret: null }], { missing: "not run" }); // "…>not run</td>…"
 * ```
 */
export function tableHtml(
  table: TableLike,
  options: { caption?: string; missing?: string } = {},
): string {
  const records = tableRecords(table);
  records.forEach((r, i) => {
    if (r === null || typeof r !== "object") {
      throw new TypeError(`tableHtml: table[${i}]: must be a record`);
    }
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
      escapeHtml(value === undefined || value === null ? "" : String(value))
    }</td>`;
  };
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  return `<table class="metahpo-table">${caption}<thead><tr>${
    columns.map((c) => `<th style="text-align:left">${escapeHtml(c)}</th>`).join("")
  }</tr></thead><tbody>${
    records.map((r) => `<tr>${columns.map((c) => cell(r[c], c)).join("")}</tr>`).join("")
  }</tbody></table>`;
}

/** The stylesheet of {@linkcode tableHtml} tables (also inlined by the report). */
export const TABLE_CSS =
  `.metahpo-table{border-collapse:collapse;font:13px system-ui,sans-serif;margin:0.5em 0 1.5em}
.metahpo-table caption{text-align:left;font-weight:600;padding:0 0 0.4em}
.metahpo-table th,.metahpo-table td{border-bottom:1px solid #ddd;padding:0.3em 0.7em;text-align:left}
.metahpo-table th{background:#f5f5f5}
.metahpo-table td.num{text-align:right;font-variant-numeric:tabular-nums}
.metahpo-table td.missing{color:#767676}`;
