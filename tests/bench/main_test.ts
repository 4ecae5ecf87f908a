import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPeersDir,
  defaultSuiteNames,
  parseBenchArgs,
  resolveBenchPaths,
} from "../../bench/main.ts";
import { DEFAULT_PEERS_DIR } from "../../lib/bench/peers.ts";

Deno.test("defaultSuiteNames: the network-retraining transfer suites and the ablation run only when named", () => {
  const quick = defaultSuiteNames(false);
  assert.deepEqual(quick, [
    "smbo",
    "transfer",
    "maml",
    "comparison",
    "fewshot",
    "perf",
    "storage",
    "rf",
  ]);
  // At full size the PMLB transfer protocol joins; FSBO and ABLR still only when named.
  const full = defaultSuiteNames(true);
  assert.deepEqual(full, ["smbo", "transfer", "transfer-pmlb", ...quick.slice(2)]);
  for (
    const name of [
      "transfer-fsbo",
      "transfer-fsbo-pmlb",
      "transfer-ablr",
      "transfer-knn",
      "ablation",
    ]
  ) {
    assert.ok(!full.includes(name), name);
  }
});

Deno.test("parseBenchArgs: --seeds and --budget must be positive integers, named in the error", () => {
  for (
    const [option, text] of [
      ["--seeds", "0"],
      ["--seeds", "abc"],
      ["--seeds", "1.5"],
      ["--seeds", ""],
      ["--seeds", "1e3"],
      ["--budget", "0"],
      ["--budget", "-1"],
      ["--budget", "99999999999999999999"],
    ]
  ) {
    assert.throws(() => parseBenchArgs(["--suite", "smbo", `${option}=${text}`]), {
      name: "RangeError",
      message: `${option}: expected a positive integer, got "${text}"`,
    });
  }
  assert.deepEqual(
    parseBenchArgs(["--suite", "smbo", "--seeds", "3", "--budget", "20", "--no-peers"]),
    {
      help: false,
      suites: ["smbo"],
      seeds: 3,
      budget: 20,
      full: false,
      peers: false,
      peersDir: DEFAULT_PEERS_DIR,
      outDir: "out/bench",
      force: false,
      peersDirGiven: false,
      outDirGiven: false,
    },
  );
  assert.throws(() => parseBenchArgs(["--suite", "nope"]), /^RangeError: --suite: unknown nope/);
  assert.throws(() => parseBenchArgs(["--out", ""]), {
    name: "RangeError",
    message: "--out: expected a folder, got an empty text",
  });
});

Deno.test("deno task bench --seeds 0: exits 2 before any suite runs or any file is written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const main = new URL("../../bench/main.ts", import.meta.url).pathname;
    const out = `${dir}/bench`;
    for (const args of [["--seeds", "0"], ["--budget", "abc"]]) {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", main, "--suite", "smbo", "--no-peers", "--out", out, ...args],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(
        new TextDecoder().decode(stderr),
        `bench: ${args[0]}: expected a positive integer, got "${args[1]}"\n`,
      );
      assert.equal(new TextDecoder().decode(stdout), "");
      assert.equal(code, 2);
    }
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task bench: two transfer suites that share problem sets run together, each row under its own suite", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const main = new URL("../../bench/main.ts", import.meta.url).pathname;
    const out = `${dir}/bench`;
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        main,
        "--suite",
        "transfer",
        "--suite",
        "transfer-ablr",
        "--seeds",
        "1",
        "--budget",
        "2",
        "--no-peers",
        "--out",
        out,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const names = (await Array.fromAsync(Deno.readDir(out))).map((e) => e.name).sort();
    assert.ok(names.includes("provenance.json") && names.includes("report.html"), String(names));
    assert.ok(!names.includes("INCOMPLETE"));
    const suites = new Set(
      (await Deno.readTextFile(`${out}/results.csv`)).trim().split("\n").slice(1).map((line) =>
        line.split(",")[0]
      ),
    );
    assert.deepEqual([...suites].sort(), ["transfer", "transfer-ablr"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task bench --help: says what each suite reads --budget as", async () => {
  const main = new URL("../../bench/main.ts", import.meta.url).pathname;
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, "--help"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0);
  const help = new TextDecoder().decode(stdout);
  assert.ok(!help.includes("evaluation budget of SMBO suites"));
  const lines = help.split("\n");
  const start = lines.findIndex((l) => l.trimStart().startsWith("--budget N"));
  const end = lines.findIndex((l, i) => i > start && l.trimStart().startsWith("--"));
  const block = lines.slice(start + 1, end).map((l) => l.trim());
  const use = (suite: string) =>
    block.find((l) => l.slice(0, l.indexOf(": ")).split(", ").includes(suite));
  assert.match(
    use("maml") ?? "",
    /^maml: meta-iterations per learner \(default 5000, 20000 with --full/,
  );
  assert.match(
    use("fewshot") ?? "",
    /^fewshot: meta-iterations per learner \(default 300, 10000 with --full/,
  );
  assert.match(use("smbo") ?? "", /: evaluations per run/);
  assert.match(use("rf") ?? "", /: evaluations per run \(default 50; the tfjs task at most 12/);
  assert.match(use("transfer-pmlb") ?? "", /: evaluations per held-out task and seed \(default 50/);
  for (const suite of ["comparison", "perf", "storage"]) {
    assert.match(use(suite) ?? "", /: not used$/, suite);
  }
  // Every suite has its line.
  const named = block.flatMap((l) => l.slice(0, l.indexOf(": ")).split(", "));
  const all = help.match(/Suites:\n((?: {20}\S.*\n)+)/)![1].trim().split("\n")
    .map((l) => l.trim().split(" ")[0]);
  assert.deepEqual([...named].sort(), [...all].sort());
});

Deno.test("checkPeersDir: --peers-dir is checked only when a chosen suite reads it", () => {
  const args = (...argv: string[]) => resolveBenchPaths(parseBenchArgs(argv), "/nonexistent-root");
  const missing = join("/nonexistent-root", "nope");
  // Suites that never read --peers-dir (their peers, if any, live in bench/peers).
  for (const suite of ["transfer", "rf", "storage", "fewshot", "comparison", "maml"]) {
    checkPeersDir(args("--suite", suite, "--peers-dir", "nope"));
  }
  // The maml suite trains the PyTorch peer from --peers-dir at full size only.
  for (const suite of ["smbo", "perf"]) {
    assert.throws(
      () => checkPeersDir(args("--suite", "transfer", "--suite", suite, "--peers-dir", "nope")),
      {
        name: "RangeError",
        message: `--peers-dir: ${missing} is not a folder (or give --no-peers)`,
      },
    );
  }
  assert.throws(() => checkPeersDir(args("--full", "--suite", "maml", "--peers-dir", "nope")), {
    message: `--peers-dir: ${missing} is not a folder (or give --no-peers)`,
  });
  // The default suites include smbo: checked.
  assert.throws(() => checkPeersDir(args("--peers-dir", "nope")), /^RangeError: --peers-dir: /);
});
