import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { metaDatasetSummary, SUMMARY_MARKERS } from "../../tools/metadataset_summary.ts";

const DIR = fileURLToPath(new URL("../../datasets/pmlb-metadataset/", import.meta.url));

Deno.test("datasets/pmlb-metadataset/README.md holds the current summary of the files", async () => {
  const readme = Deno.readTextFileSync(`${DIR}README.md`);
  const [begin, end] = SUMMARY_MARKERS.map((m) => readme.indexOf(m));
  assert.ok(begin >= 0 && end > begin, "README: summary markers");
  const stated = readme.slice(begin + SUMMARY_MARKERS[0].length, end).trim();
  assert.equal(stated, await metaDatasetSummary(DIR));
  // The table has one line per dataset and names every model.
  const md = JSON.parse(Deno.readTextFileSync(`${DIR}metadataset.json`));
  for (const dataset of md.datasets) assert.match(stated, new RegExp(`\\| \`${dataset.id}\` \\|`));
  for (const model of Object.keys(md.models)) assert.match(stated, new RegExp(`${model} best`));
});
