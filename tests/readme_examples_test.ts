/**
 * The README's TypeScript examples, as a new user copies them: every `ts` code block of `README.md`
 * must type-check and run.
 *
 * Each block is written to a temporary folder outside the repository with its imports mapped:
 * `./mod.ts` (a script at the repository root) to the repository's file, and
 * `http://127.0.0.1:8000/…` (the URL form, served by `deno task serve`) to the same path on a free
 * port of this test's own server (`tools/serve.ts`), so the URL import is checked as documented.
 * Lines keep their README numbers, and failures name them (`README.md:127:5`).
 *
 * The blocks are fragments that name the reader's own things: the objective (`trainAndValidate`,
 * `evaluate`, `f`), the tour's search space (`space`), past tasks (`store`), the new task's
 * `metaFeatures` and a finished study (`result`). A block that uses one of these names without
 * declaring it gets a small stand-in ({@linkcode CONTEXT}) on the lines above its first line;
 * anything else it uses must come from its own imports.
 *
 * All blocks are type-checked by one `deno check`, with no configuration and no lock file (a script
 * anywhere; `deno.lock` is never written). Then each block runs in its own `deno run` process and
 * folder (the SQLite example writes `tune.db` there), within {@linkcode RUN_SECONDS}. Every block
 * is run, because every one is cheap (12–18 s in all with the check, here on 2 cores): the
 * slowest, the MAML example, meta-trains for its 2,000 iterations in about 5 s with the fused
 * engine; the `minimize` examples take about a second each. The URL-import block only imports,
 * so its run does nothing (TypeScript drops unused imports); its check loads the served modules,
 * and `url_import_test.ts` runs code over the URL. The processes use a temporary `DENO_DIR` whose
 * npm cache is the user's (nothing is downloaded again), so the served modules, emitted code and
 * type-check results Deno caches are removed with the temporary folder.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPOSITORY_ROOT, serveDirectory } from "../tools/serve.ts";

/** A ```` ```ts ```` block of the README. */
export interface ReadmeBlock {
  /** README line of the opening fence (1-based). */
  line: number;
  /** The code, without the fence and the indentation of a block inside a list item. */
  code: string;
  /** That indentation (columns). */
  indent: number;
}

/** Every ```` ```ts ```` block of a Markdown text, with the line of its opening fence. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split("\n");
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```ts\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^ *```\s*$/.test(lines[j]); j++) {
      body.push(lines[j].slice(Math.min(indent, lines[j].length - lines[j].trimStart().length)));
    }
    assert.ok(j < lines.length, `README.md:${i + 1}: the \`\`\`ts block is not closed`);
    blocks.push({ line: i + 1, code: body.join("\n"), indent });
    i = j;
  }
  return blocks;
}

/**
 * Stand-ins for the names the README's fragments leave to the reader, each with the names it
 * needs; `__metahpo` is `mod.ts`. One line each (they go above the block's first line).
 */
const CONTEXT: readonly { name: string; needs: readonly string[]; code: string }[] = [
  {
    name: "space",
    needs: [],
    code: `const space = __metahpo.defineSpace({ lr: __metahpo.float(1e-5, 1e-1, { log: true }), ` +
      `units: __metahpo.int(8, 256), act: __metahpo.categorical(["relu", "tanh"]) });`,
  },
  {
    name: "trainAndValidate",
    needs: [],
    code: `function trainAndValidate(p: { lr: number; units: number; act: string }): number { ` +
      `return (Math.log10(p.lr) + 2.5) ** 2 + ((p.units - 64) / 128) ** 2 + ` +
      `(p.act === "relu" ? 0 : 0.1); }`,
  },
  { name: "f", needs: ["trainAndValidate"], code: `const f = trainAndValidate;` },
  {
    name: "evaluate",
    needs: ["trainAndValidate"],
    code: `const evaluate = async (p: { lr: number; units: number; act: string }) => ` +
      `await Promise.resolve(trainAndValidate(p));`,
  },
  { name: "metaFeatures", needs: [], code: `const metaFeatures = { rows: 150, features: 4 };` },
  {
    name: "store",
    needs: ["trainAndValidate"],
    code: `const store = __metahpo.TaskStore.from([0.3, -0.2, 0.5].map((shift, i) => ({ ` +
      `id: \`past\${i}\`, metaFeatures: { rows: 100 + 50 * i, features: 3 + i }, ` +
      `trials: Array.from({ length: 10 }, (_, k) => { const params = ` +
      `{ lr: 10 ** (-5 + (4 * ((k * 7) % 10)) / 9), units: 8 + 27 * k, act: k % 3 ? "relu" : "tanh" }; ` +
      `return { params, value: trainAndValidate(params) + shift * Math.log10(params.lr) }; }) })));`,
  },
  {
    name: "result",
    needs: ["space", "trainAndValidate"],
    code:
      `const result = await __metahpo.minimize(trainAndValidate, space, { budget: 12, seed: 0 });`,
  },
];

/** Whether a block declares `name` itself (a declaration or an import). */
function declares(code: string, name: string): boolean {
  return new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}\\b`).test(code) ||
    new RegExp(`import\\s*(?:type\\s*)?\\{[^}]*\\b${name}\\b[^}]*\\}`).test(code);
}

/** The stand-ins a block needs, in declaration order. */
export function contextOf(code: string): string[] {
  const wanted = new Set<string>();
  const want = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const need of CONTEXT.find((c) => c.name === name)!.needs) want(need);
  };
  for (const { name } of CONTEXT) {
    if (new RegExp(`\\b${name}\\b`).test(code) && !declares(code, name)) want(name);
  }
  return CONTEXT.filter((c) => wanted.has(c.name)).map((c) => c.name);
}

/**
 * The file of a block: its imports mapped (`./` to the repository, the documented server to
 * `served`), the stand-ins it needs on the first lines, its code from its README line on.
 */
export function blockFile(block: ReadmeBlock, served: string): string {
  const root = pathToFileURL(REPOSITORY_ROOT + "/").href;
  const code = block.code
    .replace(/((?:from|import)\s*)"\.\/([^"]*)"/g, (_, head, path) => `${head}"${root}${path}"`)
    .replace(
      /((?:from|import)\s*)"http:\/\/127\.0\.0\.1:8000\/([^"]*)"/g,
      (_, head, path) => `${head}"${served}${path}"`,
    );
  const names = contextOf(block.code);
  const prelude = names.length === 0 ? [] : [
    `import * as __metahpo from "${root}mod.ts";`,
    ...names.map((name) => CONTEXT.find((c) => c.name === name)!.code),
  ];
  assert.ok(
    prelude.length < block.line,
    `README.md:${block.line}: no room for the stand-ins above the block`,
  );
  const padding = Array.from({ length: block.line - prelude.length }, () => "");
  return [...prelude, ...padding, code, ""].join("\n");
}

/**
 * Longest run of one block, in seconds. Every block runs today (the slowest, the MAML example's
 * 2,000 meta-training iterations with the fused engine, takes about 5 s here); a block that
 * trains for minutes should rather be made cheaper than skipped.
 */
export const RUN_SECONDS = 30;

const decoder = new TextDecoder();

/** Runs `deno args` in `cwd` with `DENO_DIR` set; kills it after `seconds`. */
async function deno(args: string[], cwd: string, denoDir: string, seconds?: number) {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { DENO_DIR: denoDir, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", RUST_BACKTRACE: "0" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = seconds === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, seconds * 1000);
  try {
    const { code, stdout, stderr } = await child.output();
    const output = (decoder.decode(stdout) + decoder.decode(stderr))
      .split("\n").filter((line) => !line.startsWith("Download ")).join("\n").trim();
    return { code, timedOut, output };
  } finally {
    clearTimeout(timer);
  }
}

/** The user's `DENO_DIR` (for its npm cache). */
async function userDenoDir(cwd: string): Promise<string> {
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    cwd,
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.equal(code, 0, "deno info --json failed");
  return JSON.parse(decoder.decode(stdout)).denoDir;
}

/** The file of a block in the temporary folder. */
function fileName(block: ReadmeBlock): string {
  return `readme_L${block.line}.ts`;
}

/**
 * Deno's output with the blocks' files named by README positions:
 * `file:///tmp/…/readme_L125.ts:127:3` becomes `README.md:127:5 (block of line 125)`.
 */
function readmePositions(output: string, blocks: readonly ReadmeBlock[]): string {
  return output.replace(
    /file:\/\/\S*\/readme_L(\d+)\.ts:(\d+):(\d+)/g,
    (_, block, line, column) => {
      const indent = blocks.find((b) => b.line === Number(block))?.indent ?? 0;
      return `README.md:${line}:${Number(column) + indent} (block of line ${block})`;
    },
  );
}

/** The diagnostics of `deno check` output (with README positions) in `block`. */
function diagnosticsOf(output: string, block: ReadmeBlock): string[] {
  return output.split(/\n(?=TS\d+ \[|error: |warning: )/)
    .filter((d) => d.includes(`(block of line ${block.line})`));
}

/** The test of the ```` ```ts ```` blocks of `markdown`, as steps of test context `t`. */
export async function checkReadmeExamples(markdown: string, t: Deno.TestContext): Promise<void> {
  const blocks = readmeBlocks(markdown);
  const dir = await Deno.makeTempDir({ prefix: "metahpo-readme-" });
  const server = serveDirectory({ port: 0 });
  try {
    const port = server.addr.port;
    const served = `http://127.0.0.1:${port}/`;
    // A DENO_DIR of our own, on the user's npm cache: what Deno caches of the served modules,
    // the blocks' emitted code and type-check results go with `dir`.
    const denoDir = join(dir, "deno_dir");
    await Deno.mkdir(denoDir);
    const npm = join(await userDenoDir(dir), "npm");
    await Deno.mkdir(npm, { recursive: true });
    await Deno.symlink(npm, join(denoDir, "npm"));
    for (const block of blocks) {
      await Deno.writeTextFile(join(dir, fileName(block)), blockFile(block, served));
    }
    // No configuration file and no lock file: a script anywhere (deno.lock is never written).
    const flags = ["--no-config", "--no-lock", `--allow-import=127.0.0.1:${port}`];
    const check = await deno(["check", ...flags, ...blocks.map(fileName)], dir, denoDir);
    const checked = readmePositions(check.output, blocks);
    const attributed = blocks.some((block) => diagnosticsOf(checked, block).length > 0);
    for (const block of blocks) {
      await t.step(`README.md:${block.line} type-checks`, () => {
        const mine = diagnosticsOf(checked, block);
        assert.ok(
          mine.length === 0 && (check.code === 0 || attributed),
          `README.md:${block.line}: the \`\`\`ts block does not type-check:\n` +
            (mine.join("\n") || checked),
        );
      });
    }
    for (const block of blocks) {
      await t.step(`README.md:${block.line} runs`, async () => {
        const cwd = join(dir, `run_L${block.line}`);
        await Deno.mkdir(cwd);
        const start = performance.now();
        const run = await deno(
          [
            "run",
            ...flags,
            "--allow-read",
            `--allow-write=${cwd}`,
            "--allow-env",
            "--allow-sys",
            join(dir, fileName(block)),
          ],
          cwd,
          denoDir,
          RUN_SECONDS,
        );
        const seconds = ((performance.now() - start) / 1000).toFixed(1);
        assert.ok(
          !run.timedOut,
          `README.md:${block.line}: the \`\`\`ts block ran for more than ${RUN_SECONDS} s`,
        );
        assert.equal(
          run.code,
          0,
          `README.md:${block.line}: the \`\`\`ts block failed after ${seconds} s:\n` +
            readmePositions(run.output, blocks),
        );
      });
    }
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("README.md: every ```ts block type-checks and runs", async (t) => {
  const readme = await Deno.readTextFile(join(REPOSITORY_ROOT, "README.md"));
  assert.ok(readmeBlocks(readme).length >= 5, "README.md: fewer ```ts blocks than expected");
  await checkReadmeExamples(readme, t);
});
