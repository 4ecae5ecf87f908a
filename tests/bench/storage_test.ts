/** The storage suite's rows: a slow-down is not drawn as a ratio where above 1 is metahpo ahead. */
import assert from "node:assert/strict";
import { largeStudyRows } from "../../bench/suites/storage.ts";
import { renderReport, REPORT_DEFAULTS } from "../../lib/viz/report.ts";

Deno.test("storage suite: ask+tell at 10,000 / 100 trials is a slowdown, not a ratio figure's 'ahead' bar", async () => {
  const rows = largeStudyRows({ loadSeconds: 0.25, askMsSmall: 2, askMsLarge: 4.52 });
  const slowdown = rows.find((r) => r.method === "10,000 / 100 trials");
  assert.equal(slowdown?.metric, "slowdown");
  assert.equal(slowdown?.value, 2.26);
  assert.ok(!REPORT_DEFAULTS.ratioMetrics.includes("slowdown"));
  // The target ratio (above 1: under the target) stays in the ratio figure.
  assert.deepEqual(
    rows.filter((r) => REPORT_DEFAULTS.ratioMetrics.includes(r.metric)).map((r) => r.method),
    ["target 1 s / loadStudy"],
  );
  const html = await renderReport({ rows, date: "2026-01-01T00:00:00Z", machine: "test" });
  assert.ok(html.includes("target 1 s / loadStudy = 4.00×"));
  assert.ok(!html.includes("10,000 / 100 trials = 2.26×"));
});
