/**
 * Error text for zod issues: every message names the path of the bad field.
 *
 * @module
 */

/** One zod issue, reduced to what the message needs. */
export interface IssueLike {
  /** Where in the input the problem is. */
  path: readonly PropertyKey[];
  /** What is wrong. */
  message: string;
}

/**
 * Formats zod issues as `what.path.to.field: message`, one per line.
 *
 * @example
 * ```ts
 * import { formatIssues } from "./errors.ts";
 * formatIssues("options", [{ path: ["budget"], message: "must be positive" }]);
 * // "options.budget: must be positive"
 * ```
 */
export function formatIssues(what: string, issues: readonly IssueLike[]): string {
  return issues.map((issue) => {
    const path = issue.path.map((key) => typeof key === "number" ? `[${key}]` : `.${String(key)}`)
      .join("");
    return `${what}${path}: ${issue.message}`;
  }).join("\n");
}
