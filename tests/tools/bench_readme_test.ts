import assert from "node:assert/strict";
import { join } from "node:path";
import { benchArguments, benchReadme } from "../../tools/bench_readme.ts";
import { provenanceRecord } from "../_provenance.ts";

const RESULTS = new URL("../../results/bench/", import.meta.url).pathname;

async function runFolder(command: string, summary: string, notes: string[]) {
  const dir = await Deno.makeTempDir();
  Deno.writeTextFileSync(
    join(dir, "provenance.json"),
    JSON.stringify(provenanceRecord({ command })),
  );
  Deno.writeTextFileSync(join(dir, "summary.csv"), summary);
  Deno.writeTextFileSync(join(dir, "results.json"), JSON.stringify({ notes }));
  return dir;
}

Deno.test("benchReadme: a run that is not the default bench is refused", async () => {
  for (
    const command of [
      "deno task bench --suite smbo --no-peers --out x",
      "deno task bench --seeds=2",
      "deno run -A /repo/bench/main.ts --full",
      "deno task bench --no-peers",
    ]
  ) {
    const dir = await runFolder(command, "# Time per suite\nsuite,status\nsmbo,ok\n", []);
    try {
      assert.throws(
        () => benchReadme(dir, join(dir, "results.json")),
        /is not the default bench .*describes the default bench only/,
        command,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  const dir = await runFolder("deno run -A tools/other.ts", "", []);
  try {
    assert.throws(
      () => benchReadme(dir, join(dir, "results.json")),
      /is not a deno task bench command/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("benchReadme: PostgreSQL and the peers are stated as the run's files show them", async () => {
  const summary = "# storage: throughput\ntask,method\nthroughput SQLite,metahpo\n";
  const dir = await runFolder(
    "deno task bench --peers-dir /p --out '/o/my run'",
    summary,
    ["peer optuna-tpe did not run: /p/optuna_peer.py not found"],
  );
  try {
    const text = benchReadme(dir, join(dir, "results.json"));
    assert.match(text, /without PostgreSQL \(the storage suite measured SQLite only\)/);
    assert.match(text, /some Python peers could not run/);
    assert.doesNotMatch(text, /PostgreSQL 15|127\.0\.0\.1|peers installed/);
    assert.match(text, /^# The default bench\n/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // The committed default run: PostgreSQL rows and every peer ran.
  const notes = await Deno.makeTempFile();
  try {
    Deno.writeTextFileSync(notes, JSON.stringify({ notes: [] }));
    assert.match(
      benchReadme(RESULTS, notes),
      /run with PostgreSQL for the storage suite and the Python peers installed;/,
    );
  } finally {
    await Deno.remove(notes);
  }
});

Deno.test("benchArguments: the arguments of both recorded forms, quoted words read back", () => {
  assert.deepEqual(benchArguments("deno task bench --out 'my run'"), ["--out", "my run"]);
  assert.deepEqual(benchArguments("deno run -A /r/bench/main.ts --full"), ["--full"]);
  assert.equal(benchArguments("deno task fuzz"), undefined);
});
