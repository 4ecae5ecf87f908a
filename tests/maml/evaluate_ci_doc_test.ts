import assert from "node:assert/strict";

Deno.test("README: metaTest's 95% CI is described as the normal approximation, with its limits", () => {
  const readme = Deno.readTextFileSync(new URL("../../README.md", import.meta.url));
  const start = readme.indexOf("- **MAML family**");
  const end = readme.indexOf("- **Data**", start);
  assert.ok(start >= 0 && end > start, "the README's MAML family paragraph");
  const paragraph = readme.slice(start, end).replace(/\s+/g, " ");
  assert.match(
    paragraph,
    /95% CI per step count \(the normal approximation 1\.96·s\/√n over tasks/,
  );
  assert.match(paragraph, /accurate for the hundreds of tasks of the evaluation sets/);
  assert.match(paragraph, /too narrow for a handful/);
});
