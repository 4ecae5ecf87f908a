/**
 * The notebook runner (notebooks/run.py) against small probe notebooks on the real Deno kernel:
 * it keeps outputs the kernel publishes after its idle message, and fails — naming the notebook
 * and the cell — on a cell error. Skipped when Jupyter or the Deno kernel is not installed
 * (`sh notebooks/setup.sh` installs both). The notebooks themselves run with `deno task notebooks`;
 * of them, 02 (seconds) runs here too, to check that its figure and tables agree. The notebooks'
 * sources are checked without a kernel: imports through public entry points only, and plain
 * GP-BO's initial design sized as `minimize` sizes it.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

import { expectedImprovementFactor } from "../mod.ts";

const PYTHON = "/usr/bin/python3";
const RUNNER = new URL("../notebooks/run.py", import.meta.url).pathname;
const NOTEBOOKS = new URL("../notebooks/", import.meta.url).pathname;

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

Deno.test({
  name: "notebook runner: a notebook file that does not exist is named, status 2, nothing runs",
  ignore,
  async fn() {
    const dir = mkdtempSync(join(tmpdir(), "notebooks-test-"));
    const good = join(dir, "good.ipynb");
    writeFileSync(good, notebook(['console.log("ran");']));
    const absent = join(dir, "absent.ipynb");
    const output = await new Deno.Command(PYTHON, {
      args: [RUNNER, good, absent, "--out", join(dir, "out")],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 2, stderr);
    assert.equal(stderr.trim(), `notebooks: no such notebook file: ${absent}`);
    assert.equal(new TextDecoder().decode(output.stdout), "");
    // The existing notebook given before it did not run either.
    assert.ok(!existsSync(join(dir, "out", "good.ipynb")));
  },
});

interface Cell {
  id: string;
  cell_type: string;
  source: string | string[];
  outputs?: {
    output_type: string;
    name?: string;
    text?: string | string[];
    data?: Record<string, unknown>;
  }[];
}

const text = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join("") : value ?? "";

/** Every committed notebook: file name and cells. */
function notebooks(): { name: string; cells: Cell[] }[] {
  return readdirSync(NOTEBOOKS).filter((name) => name.endsWith(".ipynb")).sort().map((name) => ({
    name,
    cells: JSON.parse(readFileSync(join(NOTEBOOKS, name), "utf8")).cells,
  }));
}

Deno.test("notebooks import the library only through its public entry points (deno.json exports)", () => {
  const exports = JSON.parse(
    readFileSync(new URL("../deno.json", import.meta.url), "utf8"),
  ).exports as Record<string, string>;
  const allowed = new Set(Object.values(exports).map((path) => path.replace(/^\.\//, "../")));
  const found: string[] = [];
  for (const { name, cells } of notebooks()) {
    for (const cell of cells.filter((c) => c.cell_type === "code")) {
      for (const [, specifier] of text(cell.source).matchAll(/from "(\.[^"]*)"/g)) {
        if (!allowed.has(specifier)) found.push(`${name} ${cell.id}: ${specifier}`);
      }
    }
  }
  assert.deepEqual(found, []);
});

Deno.test("notebooks size plain GP-BO's initial design as minimize does (budgetedDesignSize)", () => {
  // `minimize` caps the default design by its budget; SMBO_DEFAULTS.initialDesignSize is the
  // uncapped size of `SMBO` (ask/tell), which none of the notebooks runs.
  const found = notebooks().flatMap(({ name, cells }) =>
    cells.filter((c) => text(c.source).includes("initialDesignSize(")).map((c) => `${name} ${c.id}`)
  );
  assert.deepEqual(found, []);
});

Deno.test({
  name: "notebook 02: figure and table show the same Thompson draw; h(z)'s thresholds printed",
  ignore,
  async fn() {
    const out = mkdtempSync(join(tmpdir(), "notebooks-test-"));
    const name = "02_acquisition_functions.ipynb";
    const output = await new Deno.Command(PYTHON, {
      args: [RUNNER, join(NOTEBOOKS, name), "--out", out, "--timeout", "300"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.equal(output.code, 0, stdout + new TextDecoder().decode(output.stderr));
    const cells: Cell[] = JSON.parse(readFileSync(join(out, name), "utf8")).cells;
    const outputsOf = (id: string) => cells.find((c) => c.id === id)!.outputs ?? [];
    // The figure's stars against the table's "next x", acquisition by acquisition (TS included).
    const figure = outputsOf("cell-03").find((o) => o.data?.["application/vnd.plotly.v1+json"])!
      .data!["application/vnd.plotly.v1+json"] as { data: { name: string; x: number[] }[] };
    const stars = Object.fromEntries(
      figure.data.filter((t) => t.name.startsWith("argmax ")).map((t) => [t.name.slice(7), t.x[0]]),
    );
    const table = outputsOf("cell-04").find((o) => o.data?.["text/plain"])!.data!["text/plain"];
    const choices = text(table as string | string[]).split("\n").map((line) => JSON.parse(line));
    assert.equal(Object.keys(stars).length, 5);
    assert.equal(choices.length, 5);
    for (const choice of choices) {
      assert.equal(stars[choice.acquisition], choice["next x"], choice.acquisition);
    }
    // The thresholds of h printed by the notebook are the library's.
    const printed = outputsOf("cell-06").filter((o) => o.output_type === "stream").map((o) =>
      text(o.text)
    ).join("");
    const zero = /exactly 0 for z ≤ (-?[\d.]+)/.exec(printed);
    assert.ok(zero, printed);
    const z = Number(zero[1]);
    assert.equal(expectedImprovementFactor(z - 1e-3), 0);
    assert.ok(expectedImprovementFactor(z + 2e-3) > 0);
  },
});
