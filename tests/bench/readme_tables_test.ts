/**
 * The README's MAML and SMBO-vs-MAML tables are the committed outputs: each block between
 * `<!-- results: NAME -->` markers must equal what `bench/readme_tables.ts` builds from
 * `results/` (table padding and line wrapping aside).
 */
import { denoRun } from "../_deno_run.ts";
import assert from "node:assert/strict";
import {
  differingReadmeBlocks,
  fewshotPeerBlock,
  fewshotSpeedBlock,
  mamlSpeedBlock,
  normaliseMarkdown,
  readmeBlocks,
  readmeBlocksIn,
  replaceReadmeBlocks,
  sideBySideBlock,
  storageBlock,
  transferPairedBlock,
} from "../../bench/readme_tables.ts";
import { provenanceRecord } from "../_provenance.ts";

const README = Deno.readTextFileSync(new URL("../../README.md", import.meta.url));

/** A `provenance.json` in `dir` for a run of `command`, with `extra` fields. */
function writeProvenance(dir: string, command: string, extra: Record<string, unknown>): void {
  Deno.writeTextFileSync(
    `${dir}/provenance.json`,
    JSON.stringify(provenanceRecord({ command, commit: "0123456789", ...extra })),
  );
}

Deno.test("README result blocks are built from the committed outputs", () => {
  const built = readmeBlocks();
  const written = readmeBlocksIn(README);
  assert.deepEqual(Object.keys(written).sort(), Object.keys(built).sort());
  for (const [name, block] of Object.entries(built)) {
    assert.equal(
      normaliseMarkdown(written[name]),
      normaliseMarkdown(block),
      `README block "${name}" differs from the committed results: run ` +
        "`deno run --allow-read --allow-write bench/readme_tables.ts --write` and `deno fmt README.md`",
    );
  }
});

Deno.test("readme_tables: blocks are replaced in place and compared without padding", () => {
  const text =
    "a\n<!-- results: x -->\nold\n<!-- /results -->\nb\n<!-- results: y -->\nkeep\n<!-- /results -->\n";
  const replaced = replaceReadmeBlocks(text, { x: "| a | b |\n| --- | --- |\n| 1 | 2 |" });
  assert.deepEqual(readmeBlocksIn(replaced), {
    x: "| a | b |\n| --- | --- |\n| 1 | 2 |",
    y: "keep",
  });
  // An empty block does not swallow the text and blocks after it.
  const empty =
    "<!-- results: a -->\n<!-- /results -->\nkept\n<!-- results: b -->\nB\n<!-- /results -->";
  assert.deepEqual(readmeBlocksIn(empty), { a: "", b: "B" });
  assert.equal(
    replaceReadmeBlocks(empty, { a: "A" }),
    "<!-- results: a -->\nA\n<!-- /results -->\nkept\n<!-- results: b -->\nB\n<!-- /results -->",
  );
  assert.equal(
    normaliseMarkdown("some text\nwrapped\n\n| a   | b |\n| :-- | - |\n| 1   | 2 |"),
    normaliseMarkdown("some text wrapped\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"),
  );
  assert.notEqual(normaliseMarkdown("| 1 | 2 |"), normaliseMarkdown("| 1 | 3 |"));
});

Deno.test("readme_tables: the MAML speed block checks the 0.5× target and the scaling", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const header = "meta-batch,width,fused CPU ms,fused wall ms,tape CPU ms,tape wall ms," +
      "torch CPU ms,torch wall ms,fused / torch CPU,tape / torch CPU,fused / torch wall,load";
    const line = (mb: number, w: number, fused: number, torch: number, wallRatio: number) =>
      [mb, w, fused, fused, 4 * fused, 4 * fused, torch, torch, fused / torch, 4 * fused / torch]
        .join(",") + `,${wallRatio},1.5`;
    Deno.writeTextFileSync(
      `${dir}/summary.csv`,
      "# maml-speed: Second-order MAML on sinusoids, ms per meta-iteration (median over 5 " +
        "rounds of 200 timed iterations)\n" +
        [
          header,
          line(5, 40, 0.5, 2.5, 0.2),
          line(25, 40, 1.5, 12.5, 0.6),
          line(25, 160, 15, 17.5, 0.9),
        ].join("\n") + "\n",
    );
    writeProvenance(dir, "deno run -A bench/maml.ts --speed", { loadAverage: [1.5, 1.2, 1] });
    const block = mamlSpeedBlock(new URL(`file://${dir}/`));
    assert.match(block, /median over 5 rounds of 200 timed meta-iterations/);
    assert.match(block, /load 1\.5 \/ 1\.2 \/ 1\.0/);
    assert.match(block, /takes 0\.12× PyTorch's CPU time per meta-iteration and 0\.60× its wall/);
    assert.match(block, /met on CPU time, not on wall time/);
    // (1.5 - 0.5) / 20 ms per task for ours, (12.5 - 2.5) / 20 for PyTorch.
    assert.match(block, /ours costs 0\.050 ms \(fused\).*PyTorch 0\.500 ms/);
    assert.match(block, /grows 10\.0× \(fused\), 10\.0× \(tape\) and 1\.4× \(PyTorch\)/);
    assert.match(
      block,
      /\| 25 \| 160 \| 15\.00 \(15\.0\) \| 60\.00 \(60\.0\) \| 17\.50 \(17\.5\) \|/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("readme_tables: the storage block leaves out what a run did not measure", () => {
  const results = new URL("../../results/", import.meta.url);
  // The default bench's quick storage suite has no GP-proposer throughput; the full run has it.
  const quick = storageBlock(new URL("bench/", results));
  const full = storageBlock(new URL("storage/", results));
  assert.doesNotMatch(quick, /GP proposer/);
  assert.match(full, /GP proposer, 4 \/ 8 workers/);
  for (const block of [quick, full]) {
    assert.match(block, /throughput, 8 workers, 200 ms objective, SQLite \| [\d.]+ trials\/s/);
    assert.doesNotMatch(block, /NaN|undefined/);
  }
});

Deno.test("readme_tables: the few-shot speed block takes medians over rounds", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const rows = ["suite,task,method,seed,step,metric,value"];
    const cpu = { "ours-maml": [9, 7, 8], "torch-maml": [2, 4, 3] };
    for (const [method, values] of Object.entries(cpu)) {
      values.forEach((v, round) => {
        rows.push(`fewshot-speed,mnist-5w1s,${method},0,${round},ms_cpu_per_meta_iteration,${v}`);
        rows.push(
          `fewshot-speed,mnist-5w1s,${method},0,${round},ms_wall_per_meta_iteration,${v + 1}`,
        );
      });
    }
    rows.push("fewshot-speed,mnist-5w1s,machine,0,0,load,0.5");
    Deno.writeTextFileSync(`${dir}/results.csv`, rows.join("\n") + "\n");
    writeProvenance(dir, "deno run -A bench/fewshot_speed.ts", { torch: "1.13" });
    const block = fewshotSpeedBlock(new URL(`file://${dir}/`));
    assert.match(block, /torch 1\.13; median over 3 rounds/);
    // Medians: ours 8 (wall 9), PyTorch 3 (wall 4); ratios 8/3 and 9/4.
    assert.match(
      block,
      /\| mnist-5w1s \| maml \| 8\.00 \(9\.0\) \| 3\.00 \(4\.0\) \| 2\.67 \| 2\.25 \| 0\.5 \|/,
    );
    assert.match(block, /2\.67–2\.67× PyTorch's CPU time/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("readme_tables: the few-shot reference comparison pairs the seeds", () => {
  const dir = Deno.makeTempDirSync(), peerDir = Deno.makeTempDirSync();
  try {
    const csv = (method: string, values: number[]) =>
      values.map((v, seed) => `fewshot,mnist-5w1s,${method},${seed},10,accuracy,${v}`);
    // Ours 0.02 above the reference on every seed, the seeds spread wide: the reference's
    // interval over seeds holds our mean, while the paired differences do not hold 0.
    const theirs = [0.40, 0.50, 0.45, 0.42, 0.48];
    Deno.writeTextFileSync(
      `${dir}/results.csv`,
      ["suite,task,method,seed,step,metric,value", ...csv("maml", theirs.map((v) => v + 0.02))]
        .join("\n") + "\n",
    );
    Deno.writeTextFileSync(
      `${peerDir}/results.csv`,
      ["suite,task,method,seed,step,metric,value", ...csv("torch-maml", theirs)].join("\n") + "\n",
    );
    writeProvenance(dir, "deno run -A bench/fewshot.ts --full", {});
    writeProvenance(peerDir, "deno run -A bench/fewshot_peer.ts --full", {});
    const block = fewshotPeerBlock(new URL(`file://${dir}/`), new URL(`file://${peerDir}/`));
    assert.match(block, /1 of 1 learner–task cells lie within its 95% CI/);
    assert.match(
      block,
      /mean ± 95% CI over the 5 seeds: 0 lies inside the interval in 0 of 1 cells; not in MAML \(second order\) on mnist-5w1s \(\+2\.0 ± 0\.0\)/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
    Deno.removeSync(peerDir, { recursive: true });
  }
});

Deno.test("readme_tables: the side-by-side reading takes the better BoTorch variant", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(
      `${dir}/side.md`,
      "## title\n\nCommand: x\n\n" +
        "| function | ours | ours / botorch-logei | ours / botorch-ei | ours / optuna-tpe |\n" +
        "| --- | --- | --- | --- | --- |\n" +
        "| f1 | 1 | 1.2 | 0.8 | 0.1 |\n" +
        "| f2 | 1 | – | 0.5 | 0.3 |\n\n| second | table |\n",
    );
    const block = sideBySideBlock(new URL(`file://${dir}/side.md`));
    // f1: LogEI's regret is the lower of the two (ours / it is 1.2): the better variant.
    assert.match(block, /better BoTorch variant \(ratio of median regrets\): f1 1\.2, f2 0\.5\./);
    assert.match(block, /Against TPE the largest ratio is 0\.3 \(f2\)\./);
    assert.doesNotMatch(block, /second/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("readme_tables: the transfer default is paired with plain GP-BO by held-out task", () => {
  const dir = Deno.makeTempDirSync();
  try {
    writeProvenance(dir, "deno task bench --full --suite transfer", {});
    const rows = ["suite,task,method,seed,step,metric,value"];
    // Two seeds per task, averaged first: differences (default − gp) of 0.1, 0.3 and 0.2 on the
    // three tasks of "fam"; one task of "pool" level. The "seconds" rows are left out.
    const regrets: [string, string, number[]][] = [
      ["fam/0/0", "rgpe-gp", [0.3, 0.5]],
      ["fam/0/0", "gp", [0.3, 0.3]],
      ["fam/0/1", "rgpe-gp", [0.6, 0.6]],
      ["fam/0/1", "gp", [0.3, 0.3]],
      ["fam/0/2", "rgpe-gp", [0.5, 0.5]],
      ["fam/0/2", "gp", [0.3, 0.3]],
      ["pool-a:x/rf", "rgpe-gp", [0, 0]],
      ["pool-a:x/rf", "gp", [0, 0]],
    ];
    for (const [task, method, values] of regrets) {
      values.forEach((v, seed) => {
        rows.push(`transfer,${task},${method},${seed},10,normalized_regret,${v}`);
        rows.push(`transfer,${task},${method},${seed},10,seconds,1`);
      });
    }
    Deno.writeTextFileSync(`${dir}/results.csv`, rows.join("\n") + "\n");
    const block = transferPairedBlock([new URL(`file://${dir}/`)], "rgpe-gp", [10]);
    // Mean 0.2, Student t with 2 degrees of freedom: 4.303 · 0.1/√3 = 0.248.
    assert.match(block, /\| fam \(3 tasks\) +\| 0\.2 ± 0\.248 \(0 inside; 3 \/ 0 \/ 0\) +\|/);
    assert.match(block, /\| pool-a \(1 tasks\) +\| 0 ± NaN \(no interval; 0 \/ 1 \/ 0\)/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("readme_tables: unknown arguments are refused; --check compares the README's blocks", async () => {
  const script = new URL("../../bench/readme_tables.ts", import.meta.url).pathname;
  const run = (...args: string[]) => denoRun(["run", "--allow-read", script, ...args]);
  const unknown = await run("--chek");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^readme_tables: unknown argument --chek/);
  assert.equal(unknown.stdout, "");
  assert.equal((await run("--write", "--check")).code, 2);
  const check = await run("--check");
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /^README\.md: \d+ blocks as built\n$/);
  const text = "<!-- results: x -->\n| a |\n| --- |\n| 1 |\n<!-- /results -->\n";
  assert.deepEqual(differingReadmeBlocks(text, { x: "|a|\n|-|\n|1|" }), []);
  assert.deepEqual(differingReadmeBlocks(text, { x: "| a |\n| --- |\n| 2 |", y: "" }), ["x", "y"]);
});
