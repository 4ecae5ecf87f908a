/**
 * The examples in the JSDoc of the `./metafeatures` entry point import only what a user can: the
 * names that entry exports (from its own files, as the examples of this project are written) or
 * another public entry point of deno.json.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const dir = new URL("lib/metafeatures/", root);

/** The names exported by `export { … } from` blocks of a barrel, `type` prefixes dropped. */
function exportedNames(barrel: string): Set<string> {
  const names = new Set<string>();
  for (const [, list] of barrel.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of list.split(",")) {
      const words = item.replace(/^\s*type\s+/, "").trim().split(/\s+as\s+/);
      if (words[0] !== "") names.add(words[words.length - 1]);
    }
  }
  return names;
}

/** The code of every ```ts block of a file's JSDoc. */
function examples(source: string): string[] {
  const text = source.split("\n").map((line) => line.replace(/^\s*\* ?/, "")).join("\n");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

Deno.test("./metafeatures: its JSDoc examples import only public names", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const entries = new Set(
    Object.values(config.exports as Record<string, string>).map((p) => new URL(p, root).href),
  );
  const barrel = await Deno.readTextFile(new URL("mod.ts", dir));
  const names = exportedNames(barrel);
  const files = ["mod.ts", ...[...barrel.matchAll(/from "\.\/([\w.]+\.ts)"/g)].map((m) => m[1])];
  const problems: string[] = [];
  let imports = 0;
  for (const file of new Set(files)) {
    const url = new URL(file, dir);
    for (const code of examples(await Deno.readTextFile(url))) {
      for (
        const [, list, from] of code.matchAll(
          /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"([^"]+)"/g,
        )
      ) {
        imports++;
        const target = new URL(from, url);
        if (entries.has(target.href)) continue;
        const local = target.href.startsWith(dir.href) &&
          files.includes(target.href.slice(dir.href.length));
        for (const item of list.split(",")) {
          const name = item.replace(/^\s*type\s+/, "").trim().split(/\s+as\s+/)[0];
          if (name !== "" && !(local && names.has(name))) {
            problems.push(
              `${file}: an example imports ${name} from ${from}, which no public entry exports`,
            );
          }
        }
      }
    }
  }
  assert.ok(imports > 5, `found the examples' imports (${imports})`);
  assert.deepEqual(problems, []);
});
