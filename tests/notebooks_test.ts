/**
 * The notebook runner (notebooks/run.py) against small probe notebooks on the real Deno kernel:
 * it keeps outputs the kernel publishes after its idle message, and fails — naming the notebook
 * and the cell — on a cell error. Skipped when Jupyter or the Deno kernel is not installed
 * (`sh notebooks/setup.sh` installs both). The notebooks themselves run with `deno task notebooks`.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const PYTHON = "/usr/bin/python3";
const RUNNER = new URL("../notebooks/run.py", import.meta.url).pathname;

function jupyterReady(): boolean {
  if (!existsSync(PYTHON)) return false;
  const probe = new Deno.Command(PYTHON, {
    args: [
      "-c",
      "import nbclient, nbconvert; from jupyter_client.kernelspec import KernelSpecManager as K; K().get_kernel_spec('deno')",
    ],
    stdout: "null",
    stderr: "null",
  }).outputSync();
  return probe.success;
}

const ignore = !jupyterReady();

function notebook(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    cells: cells.map((source, i) => ({
      id: `cell-${i}`,
      cell_type: "code",
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  });
}

async function run(name: string, cells: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "notebooks-test-"));
  const path = join(dir, name);
  writeFileSync(path, notebook(cells));
  const output = await new Deno.Command(PYTHON, {
    args: [RUNNER, path, "--out", join(dir, "out"), "--timeout", "120"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const executed = join(dir, "out", name);
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    notebook: existsSync(executed) ? JSON.parse(readFileSync(executed, "utf8")) : undefined,
    html: existsSync(executed.replace(/\.ipynb$/, ".html")),
  };
}

Deno.test({
  name: "notebook runner: keeps every output, including large displays sent after idle",
  ignore,
  async fn() {
    const displays = 12;
    const cells = Array.from(
      { length: displays },
      (_, i) =>
        `await Deno.jupyter.display({ "text/plain": "d${i}", "text/html": "<pre>" + "x".repeat(300000) + "</pre>" }, { raw: true });\n${i}`,
    );
    const result = await run("late_outputs.ipynb", cells);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /1 notebooks passed, 0 failed/);
    assert.ok(result.html);
    const kinds = result.notebook.cells.map((c: { outputs: { output_type: string }[] }) =>
      c.outputs.map((o) => o.output_type).join(",")
    );
    assert.deepEqual(kinds, Array(displays).fill("display_data,execute_result"));
  },
});

Deno.test({
  name: "notebook runner: a cell error fails the run and names the notebook and the cell",
  ignore,
  async fn() {
    const result = await run("failing.ipynb", [
      "const ok = 1;",
      'throw new Error("boom from the test");',
      'console.log("never runs");',
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /failing\.ipynb FAILED/);
    assert.match(result.stdout, /cell 1 \('throw new Error\("boom from the test"\);'\)/);
    assert.match(result.stdout, /0 notebooks passed, 1 failed/);
    // The executed copy is still written, with the error and nothing after it.
    assert.equal(result.notebook.cells[1].outputs[0].output_type, "error");
    assert.deepEqual(result.notebook.cells[2].outputs, []);
  },
});

Deno.test({
  name: "notebook runner: a module that fails to resolve fails the run",
  ignore,
  async fn() {
    const result = await run("bad_import.ipynb", [
      'import { nothing } from "./does_not_exist.ts";',
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /bad_import\.ipynb FAILED/);
  },
});
