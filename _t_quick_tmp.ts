import { runComparison, comparisonTables, comparisonConclusion, COMPARISON_SIZES } from "./lib/bench/comparison.ts";
import { tf } from "./lib/deps/tf.ts";
const t = performance.now();
const r = await runComparison({ ...COMPARISON_SIZES.quick, metaIterations: Number(Deno.args[0] ?? 300),
  onProgress: (d, n, l) => console.error(d, n, l, ((performance.now()-t)/1000).toFixed(1)) });
console.log("TOTAL", ((performance.now()-t)/1000).toFixed(1), "s; tensors", tf.memory().numTensors);
for (const tb of comparisonTables(r)) { console.log(tb.title); console.table(tb.records); }
console.log(comparisonConclusion(r).join("\n"));
Deno.writeTextFileSync("/tmp/cmp_quick.json", JSON.stringify(r.rows));
