/**
 * A test fixture shared by the tests of committed outputs: a complete `provenance.json` record.
 *
 * @module
 */
import type { CommittedProvenance } from "../lib/results/committed.ts";

/**
 * A complete provenance record (every field `readProvenance` requires), with `overrides` replacing
 * or adding top-level fields.
 */
export function provenanceRecord(
  overrides: Partial<CommittedProvenance> & Record<string, unknown> = {},
): CommittedProvenance & Record<string, unknown> {
  return {
    command: "deno task bench",
    commit: "0123456789abcdef",
    dirty: false,
    date: "2026-11-29T12:00:00.000Z",
    wallSeconds: 600,
    versions: { deno: "2.9.6", v8: "", typescript: "" },
    machine: { os: "linux", arch: "x86_64", cpus: 2, cpuModel: "cpu", memoryGiB: 24 },
    ...overrides,
  };
}
