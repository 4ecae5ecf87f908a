/** `deno task bench --force`: never over a run still going on, nor over files no bench run wrote. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { prepareOutDir } from "../../bench/main.ts";
import { INCOMPLETE_MARKER } from "../../bench/provenance.ts";

const listing = (dir: string) => readdirSync(dir).sort();

Deno.test("prepareOutDir --force: refuses a folder whose INCOMPLETE names a live bench process of this host", async () => {
  const dir = await Deno.makeTempDir();
  const other = new Deno.Command("sleep", { args: ["60"] }).spawn();
  try {
    // The marker names this process and this host.
    prepareOutDir(dir, false);
    const marker = readFileSync(join(dir, INCOMPLETE_MARKER), "utf8");
    assert.match(marker, new RegExp(`^A deno task bench run \\(process ${Deno.pid} on host `));
    assert.ok(marker.includes(` on host ${hostname()}) started writing here at `), marker);
    // Another run, alive, writes the folder: --force leaves it alone.
    const running = marker.replace(`process ${Deno.pid} `, `process ${other.pid} `);
    writeFileSync(join(dir, INCOMPLETE_MARKER), running);
    writeFileSync(join(dir, "results.csv"), "suite\n");
    for (const force of [true, false]) {
      assert.throws(() => prepareOutDir(dir, force), {
        name: "RangeError",
        message: `--out: ${dir} is being written by a bench run still going on (process ` +
          `${other.pid} on this host, named in its INCOMPLETE); wait for it or stop it, or ` +
          "give another folder",
      });
    }
    assert.deepEqual(listing(dir), [INCOMPLETE_MARKER, "results.csv"]);
    assert.equal(readFileSync(join(dir, INCOMPLETE_MARKER), "utf8"), running);
    // The same process on another host, or an older marker naming no host: replaced with --force.
    writeFileSync(join(dir, INCOMPLETE_MARKER), running.replace(hostname(), "elsewhere"));
    prepareOutDir(dir, true);
    assert.deepEqual(listing(dir), [INCOMPLETE_MARKER]);
    writeFileSync(
      join(dir, INCOMPLETE_MARKER),
      `A deno task bench run (process ${other.pid}) started writing here at 2026-01-01`,
    );
    prepareOutDir(dir, true);
    // Once that run has ended, its folder is a previous run.
    writeFileSync(join(dir, INCOMPLETE_MARKER), running);
    other.kill("SIGKILL");
    await other.status;
    prepareOutDir(dir, true);
    assert.match(readFileSync(join(dir, INCOMPLETE_MARKER), "utf8"), /process \d+ on host /);
  } finally {
    try {
      other.kill("SIGKILL");
    } catch {
      // ended
    }
    await other.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("prepareOutDir --force: run-file names without a bench run's provenance.json or INCOMPLETE are left alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    writeFileSync(join(dir, "results.csv"), "my,own,data\n");
    writeFileSync(join(dir, "report.html"), "<p>mine</p>\n");
    for (const force of [true, false]) {
      assert.throws(() => prepareOutDir(dir, force), {
        name: "RangeError",
        message: `--out: ${dir} holds report.html, results.csv but no provenance.json or ` +
          "INCOMPLETE of a bench run: not a previous run, left as it is; give a new or empty folder",
      });
    }
    // A provenance.json or INCOMPLETE that no bench run wrote does not make it one either.
    writeFileSync(join(dir, "provenance.json"), '{"mine": true}\n');
    writeFileSync(join(dir, INCOMPLETE_MARKER), "todo: finish the analysis\n");
    assert.throws(() => prepareOutDir(dir, true), /not a previous run, left as it is/);
    assert.equal(readFileSync(join(dir, "results.csv"), "utf8"), "my,own,data\n");
    // With a bench run's provenance.json, it is a previous run.
    writeFileSync(join(dir, "provenance.json"), '{"command": "deno task bench"}\n');
    assert.throws(() => prepareOutDir(dir, false), /holds a previous run .* give --force/);
    prepareOutDir(dir, true);
    assert.deepEqual(listing(dir), [INCOMPLETE_MARKER]);
    assert.ok(!existsSync(join(dir, "results.csv")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
