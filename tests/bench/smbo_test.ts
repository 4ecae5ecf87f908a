/** The smbo suite's peers: a missing runner is named, BoTorch's note only once it ran, regrets from our minima. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { smboSuite } from "../../bench/suites/smbo.ts";
import type { SuiteConfig } from "../../bench/suites/types.ts";
import { getSyntheticFunction } from "../../lib/tasks/synthetic/mod.ts";

Deno.test("smbo suite: a peer missing from the peers folder is named; the BoTorch note follows its run", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  const config = (peersDir: string): SuiteConfig => ({
    size: "quick",
    seeds: 1,
    budget: 2,
    peers: true,
    peersDir,
    outDir: dir,
    progress: () => {},
    notes: [],
  });
  try {
    // No peers folder at all: every peer's note names its runner where it was looked for.
    const missing = config(join(dir, "no-peers"));
    await smboSuite.run(missing);
    assert.deepEqual(missing.notes, [
      "smbo: the scikit-learn GP-EI peer runs with --full only (about 1 s per trial here)",
      ...["optuna-tpe", "optuna-random"].map((method) =>
        `peer ${method} did not run: ${dir}/no-peers/optuna_peer.py not found`
      ),
      `peer botorch-logei did not run: ${dir}/no-peers/botorch_peer.py not found`,
    ]);
    assert.ok(!missing.notes.some((n) => /BoTorch LogEI runs|ModuleNotFoundError/.test(n)));

    // A peers folder with a BoTorch runner only: the BoTorch note, in its place, and no others.
    const peers = join(dir, "peers");
    await Deno.mkdir(peers);
    await Deno.writeTextFile(join(peers, "synthetic.py"), "FUNCS = {}\n");
    await Deno.writeTextFile(
      join(peers, "botorch_peer.py"),
      'print(\'{"func": "branin", "regrets": [0.5], "median_regret": 0.5, "mean_regret": 0.5, ' +
        '"seconds_per_trial": 0.01}\')\n',
    );
    const some = config(peers);
    const { rows } = await smboSuite.run(some);
    assert.equal(some.notes[0].startsWith("smbo: BoTorch LogEI runs 1 seeds on branin"), true);
    assert.equal(some.notes[1].startsWith("smbo: the scikit-learn GP-EI peer"), true);
    assert.equal(some.notes.length, 4, some.notes.join("\n"));
    assert.ok(rows.some((r) => r.method === "botorch-logei" && r.metric === "regret"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("smbo suite: the peers' regrets are measured from our exact minima, not their rounded ones", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const peers = join(dir, "peers");
    await Deno.mkdir(peers);
    // The shared peers' form: FUNCS[name] = (fn, dim, minimum), Branin's minimum rounded.
    await Deno.writeTextFile(
      join(peers, "synthetic.py"),
      'FUNCS = {"branin": (None, 2, 0.397887), "hartmann3": (None, 3, -3.86278)}\n',
    );
    // A runner that reaches the value 1.0 on every function and reports regret from FUNCS.
    await Deno.writeTextFile(
      join(peers, "optuna_peer.py"),
      "import json, sys\nfrom synthetic import FUNCS\n" +
        "funcs = sys.argv[sys.argv.index('--funcs') + 1].split(',')\n" +
        "for name in funcs:\n" +
        "    if name not in FUNCS: continue\n" +
        "    r = 1.0 - FUNCS[name][2]\n" +
        "    print(json.dumps({'func': name, 'median_regret': r, 'mean_regret': r, " +
        "'seconds_per_trial': 0.01}))\n",
    );
    const config: SuiteConfig = {
      size: "quick",
      seeds: 1,
      budget: 2,
      peers: true,
      peersDir: peers,
      outDir: dir,
      progress: () => {},
      notes: [],
    };
    const { rows } = await smboSuite.run(config);
    const regret = (task: string) =>
      rows.find((r) => r.method === "optuna-tpe" && r.task === task && r.metric === "median_regret")
        ?.value;
    assert.equal(regret("branin"), 1 - getSyntheticFunction("branin").minimum);
    assert.equal(regret("hartmann3"), 1 - getSyntheticFunction("hartmann3").minimum);
    assert.notEqual(regret("branin"), 1 - 0.397887);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
