import { runComparison, comparisonTables, comparisonConclusion } from "./lib/bench/comparison.ts";
const t = performance.now();
const r = await runComparison({ seeds: 1, families: [{kind:"sinusoid", shots:[5]}, {kind:"tabular", dataset:"cars-mpg", shots:10}], testTasks: 20, metaIterations: 30, smboBudget: 8, priorGroups: 2, priorTrials: 4, tuneBudget: 4, tuneIterations: 10,
  onProgress: (d, n, l) => console.error(d, n, l, ((performance.now()-t)/1000).toFixed(1)) });
for (const tb of comparisonTables(r)) { console.log(tb.title); console.table(tb.records); }
console.log(comparisonConclusion(r).join("\n"));
