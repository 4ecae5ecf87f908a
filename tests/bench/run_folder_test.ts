// The output folder of `deno task bench`: one run per folder, recognisable when unfinished, and a
// provenance that describes the code and the command that ran.
import { denoRun } from "../_deno_run.ts";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { umask } from "node:process";
import { fileURLToPath } from "node:url";
import {
  benchCommand,
  checkPeersDir,
  ignoredFlagNotes,
  parseBenchArgs,
  prepareOutDir,
  resolveBenchPaths,
} from "../../bench/main.ts";
import {
  BENCH_CODE_DIR,
  checkFinishedRun,
  INCOMPLETE_MARKER,
  recordedSeconds,
  runProvenance,
  writeFinishedProvenance,
} from "../../bench/provenance.ts";
import { rewriteBenchReport } from "../../bench/report.ts";
import { shellQuote, shellWords } from "../../bench/args.ts";
import { provenanceLine, type ResultRow, toCsv } from "../../lib/results/mod.ts";
import { mamlSuite } from "../../bench/suites/maml.ts";
import { perfSuite } from "../../bench/suites/perf.ts";
import { smboSuite } from "../../bench/suites/smbo.ts";
import { rfSuite } from "../../bench/suites/rf.ts";
import { runAblation } from "../../bench/suites/ablation.ts";

const MAIN = fileURLToPath(new URL("../../bench/main.ts", import.meta.url));
const REPORT = fileURLToPath(new URL("../../bench/report.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");
const tiny = (
  budget = 3,
) => ["--suite", "smbo", "--no-peers", "--seeds", "1", "--budget", `${budget}`];
const TINY = tiny();

function bench(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return denoRun(["run", "-A", MAIN, ...args], options);
}

const listing = (dir: string) => readdirSync(dir).sort();
const snapshot = (dir: string) =>
  Object.fromEntries(listing(dir).map((name) => [name, readFileSync(join(dir, name), "utf8")]));

Deno.test("bench --out: a finished run lists its files; a folder with a previous run needs --force, which leaves nothing stale", async () => {
  const dir = await Deno.makeTempDir({ prefix: "metahpo-bench-out-" });
  try {
    const out = join(dir, "run");
    const first = await bench([...TINY, "--out", out]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(listing(out), [
      "provenance.json",
      "report.html",
      "results.csv",
      "results.json",
      "summary.csv",
    ]);
    const provenance = JSON.parse(readFileSync(join(out, "provenance.json"), "utf8"));
    assert.deepEqual(Object.keys(provenance.files), ["results.csv", "results.json", "summary.csv"]);
    checkFinishedRun(out);
    // The final line names the folder by its absolute path.
    assert.match(first.stdout, new RegExp(`written to ${out}/\\n$`));

    // Again into the same folder: refused, naming --out, nothing touched.
    const before = snapshot(out);
    const again = await bench([...tiny(4), "--out", out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^bench: --out: .* holds a previous run .*give --force/);
    assert.deepEqual(snapshot(out), before);

    // A previous ablation run's files do not survive a --force run of another suite.
    writeFileSync(join(out, "ablation.csv"), "suite,task\n");
    writeFileSync(join(out, "ablation.md"), "# old\n");
    const forced = await bench([...TINY, "--force", "--out", out]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(listing(out), Object.keys(before).sort());
    checkFinishedRun(out);

    // A folder holding anything else is refused even with --force.
    writeFileSync(join(out, "notes.txt"), "mine\n");
    const foreign = await bench([...TINY, "--force", "--out", out]);
    assert.equal(foreign.code, 2);
    assert.match(foreign.stderr, /^bench: --out: .* holds notes\.txt, which no bench run writes/);
    assert.ok(existsSync(join(out, "results.csv")));

    // A file as --out: an error naming --out.
    const file = await bench([...TINY, "--out", join(out, "notes.txt")]);
    assert.equal(file.code, 2);
    assert.equal(
      file.stderr,
      `bench: --out: ${join(out, "notes.txt")} exists and is not a folder\n`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench --out: an unfinished run is marked, and bench/report.ts refuses it and any mixed folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "metahpo-bench-unfinished-" });
  try {
    const out = join(dir, "run");
    assert.equal((await bench([...TINY, "--out", out])).code, 0);
    // A run starting over it (with --force) removes the previous run's files and marks the folder
    // until its provenance.json is written: interrupted there, the folder says so.
    prepareOutDir(out, true);
    assert.deepEqual(listing(out), [INCOMPLETE_MARKER]);
    await assert.rejects(
      rewriteBenchReport(out),
      /holds INCOMPLETE: the run writing it did not finish/,
    );
    const cli = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", REPORT, out],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(cli.code, 1);
    assert.match(new TextDecoder().decode(cli.stderr), /^bench\/report\.ts: .*did not finish/);
    assert.ok(!existsSync(join(out, "report.html")));

    // Files of two runs mixed: refused.
    const other = join(dir, "other");
    assert.equal((await bench([...tiny(4), "--out", other])).code, 0);
    const mixed = join(dir, "mixed");
    assert.equal((await bench([...TINY, "--out", mixed])).code, 0);
    await rewriteBenchReport(mixed); // a finished run re-renders
    Deno.copyFileSync(join(other, "results.csv"), join(mixed, "results.csv"));
    await assert.rejects(rewriteBenchReport(mixed), /results\.csv not the file\(s\) the run wrote/);
    // A file the run did not write, or one missing: refused.
    const extra = join(dir, "extra");
    assert.equal((await bench([...TINY, "--out", extra])).code, 0);
    writeFileSync(join(extra, "ablation.csv"), "suite\n");
    await assert.rejects(rewriteBenchReport(extra), /ablation\.csv not written by the run/);
    Deno.removeSync(join(extra, "ablation.csv"));
    Deno.removeSync(join(extra, "summary.csv"));
    await assert.rejects(rewriteBenchReport(extra), /summary\.csv missing/);
    // A provenance.json without the list of files (as runs wrote it before they listed their
    // files): read when its files agree, with a warning; a malformed list is refused.
    const bare = JSON.parse(readFileSync(join(other, "provenance.json"), "utf8"));
    delete bare.files;
    writeFileSync(join(other, "provenance.json"), JSON.stringify(bare));
    const warnings = checkFinishedRun(other);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /lists no files with their SHA-256 .*cannot be checked/);
    const warned: string[] = [];
    await rewriteBenchReport(other, (message) => warned.push(message));
    assert.deepEqual(warned, warnings);
    Deno.copyFileSync(join(mixed, "results.json"), join(other, "results.json"));
    assert.throws(() => checkFinishedRun(other), /not those of one run/);
    writeFileSync(join(other, "provenance.json"), JSON.stringify({ ...bare, files: null }));
    assert.throws(() => checkFinishedRun(other), /lists no output files/);
    assert.throws(() => checkFinishedRun(join(dir, "nothing")), /has no provenance\.json/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * A run folder as the bench wrote it before provenance.json listed the files: results.csv, then
 * provenance.json (with the wall seconds per suite), results.json and summary.csv.
 */
function writeUnlistedRun(dir: string, rows: ResultRow[], seconds = 1.25): void {
  Deno.mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "results.csv"), toCsv(rows));
  writeFileSync(
    join(dir, "provenance.json"),
    JSON.stringify({
      command: "deno task bench --suite smbo",
      date: "2026-11-20T10:00:00.000Z",
      wallSeconds: seconds,
      suites: [{ suite: "smbo", seconds, cpuSeconds: 1, status: "ok" }],
    }),
  );
  writeFileSync(
    join(dir, "results.json"),
    JSON.stringify({ date: "2026-11-20T10:00:00.004Z", machine: "m", notes: [], rows }),
  );
  writeFileSync(
    join(dir, "summary.csv"),
    `# smbo: regret\nmethod,regret\ngp,0.5\n\n# Time per suite (wall seconds)\n` +
      `suite,status,wall s,CPU s\nsmbo,ok,${seconds},1\ntotal,ok,${seconds},1\n`,
  );
}

Deno.test("checkFinishedRun: a folder written before provenance.json listed its files is read with a warning when its files agree", async () => {
  const dir = await Deno.makeTempDir({ prefix: "metahpo-bench-unlisted-" });
  const row = (seed: number, value: number): ResultRow => ({
    suite: "smbo",
    task: "branin",
    method: "gp",
    seed,
    step: 5,
    metric: "regret",
    value,
  });
  const rows = [row(0, 0.5), row(1, NaN), row(2, Infinity)];
  try {
    const run = join(dir, "run");
    writeUnlistedRun(run, rows);
    writeFileSync(join(run, "ablation.csv"), "suite\n");
    const warnings = checkFinishedRun(run);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0],
      /run\/provenance\.json lists no files with their SHA-256 .*results\.csv, results\.json and summary\.csv agree .*cannot be checked; not checked at all: ablation\.csv$/,
    );
    const warned: string[] = [];
    const path = await rewriteBenchReport(run, (message) => warned.push(message));
    assert.ok(existsSync(path));
    assert.deepEqual(warned, warnings);
    // From the command line: the report, and the warning on stderr.
    const cli = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", REPORT, run],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(cli.code, 0);
    assert.match(
      new TextDecoder().decode(cli.stderr),
      /^bench\/report\.ts: warning: .*cannot be checked/,
    );

    // Refused: files of two runs, an unfinished run, a missing file.
    const refused = (mutate: (folder: string) => void, pattern: RegExp) => {
      const folder = join(dir, `case${Math.random().toString(36).slice(2)}`);
      writeUnlistedRun(folder, rows);
      mutate(folder);
      assert.throws(() => checkFinishedRun(folder), pattern);
    };
    const other = join(dir, "other");
    writeUnlistedRun(other, [row(0, 0.25), row(1, NaN), row(2, Infinity)], 2.5);
    refused(
      (f) => Deno.copyFileSync(join(other, "results.csv"), join(f, "results.csv")),
      /row 1 of results\.csv differs from results\.json's: the files are not those of one run/,
    );
    refused(
      (f) => writeFileSync(join(f, "results.csv"), toCsv(rows.slice(0, 2))),
      /results\.csv has 2 rows, results\.json 3/,
    );
    refused(
      (f) => Deno.copyFileSync(join(other, "summary.csv"), join(f, "summary.csv")),
      /summary\.csv gives suite smbo 2\.5 wall seconds, provenance\.json 1\.25/,
    );
    refused((f) => {
      const results = JSON.parse(readFileSync(join(f, "results.json"), "utf8"));
      writeFileSync(
        join(f, "results.json"),
        JSON.stringify({ ...results, date: "2026-11-21T10:00:00.000Z" }),
      );
    }, /results\.json is dated 2026-11-21T10:00:00\.000Z, provenance\.json 2026-11-20/);
    refused((f) => Deno.removeSync(join(f, "summary.csv")), /summary\.csv missing/);
    refused((f) => writeFileSync(join(f, INCOMPLETE_MARKER), ""), /holds INCOMPLETE/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFinishedProvenance: provenance.json last, with the files' SHA-256, then the marker goes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    prepareOutDir(dir, false);
    writeFileSync(join(dir, "results.csv"), "suite\n");
    writeFileSync(join(dir, "results.json"), "{}");
    assert.throws(() => checkFinishedRun(dir), /did not finish/);
    writeFinishedProvenance(dir, { command: "deno task bench" });
    assert.deepEqual(listing(dir), ["provenance.json", "results.csv", "results.json"]);
    const { files } = JSON.parse(readFileSync(join(dir, "provenance.json"), "utf8"));
    // sha256("suite\n")
    assert.equal(
      files["results.csv"],
      "489e60f2a7b00af304acd521a179d72f1e77d704b73317ca434a3c34b089b7fa",
    );
    checkFinishedRun(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench provenance: the commit of the bench code that ran, and the command as run, shell-quoted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "metahpo-bench-cwd-" });
  try {
    // Started from a folder outside any repository: the commit is still the bench code's.
    const out = join(dir, "my run");
    const run = await bench([...TINY, "--out", out], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const provenance = JSON.parse(readFileSync(join(out, "provenance.json"), "utf8"));
    const head = await new Deno.Command("git", {
      args: ["rev-parse", "HEAD"],
      cwd: ROOT,
      stdout: "piped",
    })
      .output();
    assert.equal(provenance.commit, new TextDecoder().decode(head.stdout).trim());
    assert.equal(provenance.command, `deno run -A ${MAIN} ${TINY.join(" ")} --out '${out}'`);
    assert.deepEqual(shellWords(provenance.command).slice(4), [...TINY, "--out", out]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("benchCommand: deno task bench from the project root, deno run with the script's path otherwise", () => {
  const main = "file:///repo/bench/main.ts";
  assert.equal(
    benchCommand(["--out", "a b"], main, "/repo", "/repo"),
    "deno task bench --out 'a b'",
  );
  assert.equal(benchCommand([], main, "/repo", "/repo"), "deno task bench");
  assert.equal(
    benchCommand(["--seeds", "2"], "file:///clone/bench/main.ts", "/repo", "/repo"),
    "deno run -A /clone/bench/main.ts --seeds 2",
  );
  assert.equal(
    benchCommand(["--out", "x"], main, "/repo/lib", "/repo"),
    "deno run -A /repo/bench/main.ts --out x",
  );
  assert.equal(benchCommand([], main, "/", "/repo"), "deno run -A repo/bench/main.ts");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.deepEqual(shellWords(`a 'it'\\''s' "b \\"c\\"" d\\ e`), ["a", "it's", 'b "c"', "d e"]);
});

Deno.test("runProvenance: git runs in the bench code's folder, not the working directory's", async () => {
  assert.equal(BENCH_CODE_DIR, join(ROOT, "bench/"));
  const outside = await Deno.makeTempDir();
  try {
    assert.equal((await runProvenance("x", 0, outside)).commit, "unknown");
    assert.match((await runProvenance("x", 0)).commit, /^[0-9a-f]{40}$/);
  } finally {
    await Deno.remove(outside);
  }
});

Deno.test("runProvenance: outside a git checkout, whether there were local changes is not known (null)", async () => {
  // As for code unpacked from an archive (`git archive`, a tarball): no repository to ask.
  const outside = await Deno.makeTempDir();
  try {
    const provenance = await runProvenance("x", 0, outside);
    assert.equal(provenance.commit, "unknown");
    assert.equal(provenance.dirty, null);
    assert.match(provenanceLine(provenance), /^`x`, commit unknown \(not a git checkout\), /);
    assert.equal((await runProvenance("x", 0)).dirty === null, false, "a checkout is asked");
  } finally {
    await Deno.remove(outside);
  }
});

Deno.test("runProvenance: names the commit the script started from, not one made while it ran", async () => {
  // A copy of the provenance module and its imports in a repository of its own: the script
  // loads it, a commit is made (as by someone working while a long run goes on), then the run
  // ends and asks for its provenance.
  const repo = await Deno.makeTempDir();
  try {
    const files = [
      "bench/provenance.ts",
      "lib/data/delimited.ts",
      "lib/data/errors.ts",
      "lib/data/location.ts",
      "lib/results/committed.ts",
      "lib/results/results.ts",
    ];
    for (const file of files) {
      await Deno.mkdir(join(repo, file, ".."), { recursive: true });
      await Deno.copyFile(join(ROOT, file), join(repo, file));
    }
    const git = async (...args: string[]) => {
      const out = await new Deno.Command("git", {
        args: ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args],
        cwd: repo,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      return new TextDecoder().decode(out.stdout).trim();
    };
    await git("init", "-q");
    await git("add", "-A");
    await git("commit", "-q", "-m", "start");
    const started = await git("rev-parse", "HEAD");
    const script = join(repo, "run.ts");
    writeFileSync(
      script,
      `import { runProvenance } from "./bench/provenance.ts";
const git = (...args: string[]) => new Deno.Command("git", { args: ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", ...args], cwd: ${
        JSON.stringify(repo)
      } }).output();
await Deno.writeTextFile(${JSON.stringify(join(repo, "later.txt"))}, "x");
await git("add", "later.txt");
await git("commit", "-q", "-m", "during the run");
console.log(JSON.stringify(await runProvenance("x", 1)));
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--no-lock", "-A", script],
      cwd: repo,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const provenance = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.notEqual(await git("rev-parse", "HEAD"), started);
    assert.equal(provenance.commit, started);
    assert.equal(provenance.dirty, false);
  } finally {
    await Deno.remove(repo, { recursive: true });
  }
});

Deno.test("recordedSeconds: a run of a few seconds does not read 0", async () => {
  assert.equal(recordedSeconds(0.023), 0.02);
  assert.equal(recordedSeconds(480.4012), 480.4);
  assert.equal((await runProvenance("x", 1.234)).wallSeconds, 1.23);
});

Deno.test("parseBenchArgs: a single-valued flag given twice is refused; --suite repeats", () => {
  assert.throws(() => parseBenchArgs(["--seeds", "1", "--seeds", "2"]), {
    name: "RangeError",
    message: `--seeds: given 2 times ("1", "2"); give it once`,
  });
  assert.throws(
    () => parseBenchArgs(["--out=a", "--out", "b"]),
    /^RangeError: --out: given 2 times/,
  );
  assert.throws(
    () => parseBenchArgs(["--full", "--full"]),
    /^RangeError: --full: given 2 times; give it once/,
  );
  assert.deepEqual(parseBenchArgs(["--suite", "smbo", "--suite", "rf"]).suites, ["smbo", "rf"]);
  assert.equal(parseBenchArgs(["--force"]).force, true);
});

Deno.test("resolveBenchPaths: folders given are taken from where the command started, defaults from the project root", async () => {
  const given = parseBenchArgs(["--out", "runs/a", "--peers-dir", "../peers"]);
  assert.deepEqual(
    [
      resolveBenchPaths(given, "/repo", "/repo/lib").outDir,
      resolveBenchPaths(given, "/repo", "/repo/lib").peersDir,
    ],
    ["/repo/lib/runs/a", "/repo/peers"],
  );
  assert.equal(resolveBenchPaths(given, "/repo").outDir, "/repo/runs/a");
  const defaults = resolveBenchPaths(parseBenchArgs([]), "/repo", "/repo/lib");
  assert.deepEqual([defaults.outDir, defaults.peersDir], ["/repo/out/bench", "/shared/peers"]);
  // As deno task passes it: INIT_CWD.
  const dir = await Deno.makeTempDir();
  try {
    const run = await bench([...TINY, "--out", "rel"], {
      cwd: ROOT,
      env: { INIT_CWD: dir },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(dir, "rel", "provenance.json")));
    assert.match(run.stdout, new RegExp(`written to ${dir}/rel/\\n$`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkPeersDir: a --peers-dir given must hold the chosen suites' peer runners", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const args = (...more: string[]) =>
      resolveBenchPaths(parseBenchArgs(["--suite", "smbo", ...more]), dir);
    assert.throws(() => checkPeersDir(args("--peers-dir", "nope")), {
      message: `--peers-dir: ${join(dir, "nope")} is not a folder (or give --no-peers)`,
    });
    assert.throws(
      () => checkPeersDir(args("--peers-dir", ".")),
      /^RangeError: --peers-dir: .* has no optuna_peer\.py, botorch_peer\.py, sklearn_gp_peer\.py, synthetic\.py \(peer runners of smbo\)/,
    );
    for (const f of ["optuna_peer.py", "botorch_peer.py", "sklearn_gp_peer.py", "synthetic.py"]) {
      writeFileSync(join(dir, f), "");
    }
    checkPeersDir(args("--peers-dir", "."));
    checkPeersDir(args("--peers-dir", "nope", "--no-peers"));
    checkPeersDir(args()); // the default folder: a missing peer is a note, as documented
    const run = await bench([
      "--suite",
      "smbo",
      "--peers-dir",
      join(dir, "nope"),
      "--out",
      join(dir, "o"),
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^bench: --peers-dir: /);
    assert.ok(!existsSync(join(dir, "o")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ignoredFlagNotes: a suite without a seeds or budget setting says so when one is given", () => {
  const args = parseBenchArgs(["--suite", "maml", "--seeds", "5", "--budget", "10"]);
  assert.deepEqual(ignoredFlagNotes(mamlSuite, args), [
    "maml: --seeds 5 not used: the suite has no seeds setting",
  ]);
  assert.equal(ignoredFlagNotes(perfSuite, args).length, 2);
  assert.deepEqual(ignoredFlagNotes(smboSuite, args), []);
  assert.deepEqual(ignoredFlagNotes(mamlSuite, parseBenchArgs(["--suite", "maml"])), []);
});

Deno.test("ignoredFlagNotes: the rf suite says when its tfjs task does not follow --seeds or --budget", () => {
  const notes = (...argv: string[]) =>
    ignoredFlagNotes(rfSuite, parseBenchArgs(["--suite", "rf", ...argv]));
  // Quick size: the tfjs task runs on one seed and at most 12 evaluations.
  assert.deepEqual(notes("--seeds", "5", "--budget", "20"), [
    "rf: --seeds 5 not used for tfjs/mlp-opt/iris: at quick size it runs on 1 seed " +
    "(--full runs it on every seed)",
    "rf: --budget 20 not used for tfjs/mlp-opt/iris: its budget is at most 12 evaluations at " +
    "quick size",
  ]);
  assert.deepEqual(notes("--seeds", "1", "--budget", "12"), []);
  assert.deepEqual(notes(), []);
  // Full size: every seed, at most 30 evaluations.
  assert.deepEqual(notes("--full", "--seeds", "5", "--budget", "30"), []);
  assert.deepEqual(notes("--full", "--budget", "50"), [
    "rf: --budget 50 not used for tfjs/mlp-opt/iris: its budget is at most 30 evaluations at " +
    "full size",
  ]);
});

Deno.test("ablation.csv: written with the usual mode (umask), not 0666", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const csv = join(dir, "ablation.csv");
    await runAblation({ seeds: 1, budget: 2, functions: ["branin"], csv });
    assert.equal(statSync(csv).mode! & 0o777, 0o666 & ~umask());
    assert.ok(readFileSync(csv, "utf8").split("\n").length > 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
