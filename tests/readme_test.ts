/**
 * The README states what the code does: each row of the defaults table is rebuilt from the
 * defaults objects the optimiser reads, and must appear in the README as written; the entry-points
 * table names what `mod.ts` leaves out, and stated limits and messages are the code's.
 */
import assert from "node:assert/strict";
import {
  ACQUISITION_OPTIMIZER_DEFAULTS,
  BAYES_OPT_DEFAULTS,
  bayesOpt,
  budgetedDesignSize,
  categorical,
  createStudy,
  defaultHandover,
  defineSpace,
  float,
  GAMMA_PRIORS,
  GP_DEFAULTS,
  gpFactory,
  int,
  logNormalPriors,
  minimize,
  type Prior,
  randomSearch,
  recommendBest,
  Rng,
  SMBO,
  SMBO_DEFAULTS,
  type SurrogateFactory,
  TaskStore,
  transferOptions,
} from "../mod.ts";
import { MAX_GRID_LEVELS } from "../lib/space/params.ts";

const README = Deno.readTextFileSync(new URL("../README.md", import.meta.url));

/** The table row of a piece, with its cells' padding removed. */
function row(piece: string): string {
  const line = README.split("\n").find((l) => l.startsWith(`| ${piece} `));
  assert.ok(line, `README: no defaults row "${piece}"`);
  return line.split("|").map((cell) => cell.trim()).filter(Boolean).slice(1).join(" | ");
}

function gamma(prior: Prior): string {
  assert.equal(prior.type, "gamma");
  const { concentration, rate } = prior as { concentration: number; rate: number };
  return `Gamma(${concentration}, ${rate})`;
}

Deno.test("README defaults: priors are the optimiser's (Gamma) set, the others fitGP's", () => {
  assert.equal(BAYES_OPT_DEFAULTS.surrogate.priors, "gamma");
  const priors = row("priors");
  assert.ok(
    priors.startsWith(
      `lengthscale ${gamma(GAMMA_PRIORS.lengthscale)}, noise ${gamma(GAMMA_PRIORS.noise)}, ` +
        `outputscale ${gamma(GAMMA_PRIORS.outputscale)}`,
    ),
    priors,
  );
  assert.match(priors, /`priors: "gamma"`/);
  // fitGP's default: the log-normal set of the paragraph under the table.
  assert.equal(GP_DEFAULTS.priors, "lognormal");
  const d = 6;
  const lengthscale = logNormalPriors(d).lengthscale as { loc: number; scale: number };
  assert.ok(Math.abs(lengthscale.loc - (Math.SQRT2 + 0.5 * Math.log(d))) < 1e-12);
  assert.ok(Math.abs(lengthscale.scale - Math.sqrt(3)) < 1e-12);
  assert.deepEqual(logNormalPriors(d).noise, { type: "lognormal", loc: -4, scale: 1 });
  assert.deepEqual(logNormalPriors(d).outputscale, GAMMA_PRIORS.outputscale);
  assert.match(
    README,
    /lengthscale LogNormal\(√2 \+ ½·ln d, √3\), noise LogNormal\(−4, 1\),\s+the\s+same outputscale Gamma\(2, 0\.15\)/,
  );
});

Deno.test("README defaults: design, fit, acquisition and its optimiser", () => {
  assert.equal(SMBO_DEFAULTS.initialDesign, "sobol");
  assert.equal(SMBO_DEFAULTS.initialDesignSize(1), 5);
  assert.equal(SMBO_DEFAULTS.initialDesignSize(6), 13);
  // One 3-level categorical and 3 numbers: 4 parameters (6 encoded columns), 9 points.
  const mixed = defineSpace({
    a: float(0, 1),
    b: float(0, 1),
    c: float(0, 1),
    act: categorical(["relu", "tanh", "gelu"]),
  });
  assert.equal(mixed.dim, 6);
  assert.equal(SMBO_DEFAULTS.initialDesignSize(mixed), 9);
  assert.match(
    row("initial design"),
    /^scrambled Sobol, `max\(5, 2·p \+ 1\)` points \(p = searched parameters: a categorical counts once/,
  );
  // minimize's cap for a known budget.
  assert.equal(budgetedDesignSize(mixed, 50), 9);
  assert.equal(budgetedDesignSize(13, 30), 15);
  assert.equal(budgetedDesignSize(mixed, 8), 5);
  assert.match(
    row("initial design"),
    /`minimize` caps it at `max\(5, ⌊budget \/ 2⌋\)`, `budgetedDesignSize`, also for a stored study/,
  );
  assert.equal(BAYES_OPT_DEFAULTS.surrogate.kernel, "matern52");
  assert.match(row("surrogate"), /Matérn-5\/2 ARD/);
  assert.equal(BAYES_OPT_DEFAULTS.surrogate.mean, "constant");
  assert.match(row("surrogate"), /constant prior mean/);
  assert.match(
    row("hyperparameter fit"),
    new RegExp(
      `prior modes \\+ ${GP_DEFAULTS.restarts} prior draws; refitted from scratch every ` +
        `${BAYES_OPT_DEFAULTS.fullRefitEvery}th step`,
    ),
  );
  assert.equal(SMBO_DEFAULTS.failedTrials, "worst");
  assert.match(row("failed trials"), /`failedTrials: "worst"`/);
  assert.equal(SMBO_DEFAULTS.direction, "minimize");
  assert.match(row("direction"), /^minimise \(`direction: "maximize"` maximises/);
  assert.equal(BAYES_OPT_DEFAULTS.acquisition, "logei");
  assert.match(row("acquisition"), /^LogEI/);
  assert.equal(ACQUISITION_OPTIMIZER_DEFAULTS.rawSamples, BAYES_OPT_DEFAULTS.rawSamples);
  assert.match(
    row("acquisition optimiser"),
    new RegExp(
      `^${BAYES_OPT_DEFAULTS.rawSamples} scrambled Sobol raw samples \\+ ` +
        `${BAYES_OPT_DEFAULTS.incumbentSamples} around the best 5% of the observed points ` +
        `\\(σ = 10⁻³ and 0\\.1, .*\\), L-BFGS-B from the best ${BAYES_OPT_DEFAULTS.restarts},`,
    ),
  );
  assert.deepEqual([...BAYES_OPT_DEFAULTS.incumbentScale], [1e-3, 0.1]);
  assert.equal(BAYES_OPT_DEFAULTS.outcomeTransform, "yeo-johnson");
  assert.match(row("outcome transform"), /^Yeo–Johnson/);
});

Deno.test("README entry points: mod.ts has all of the core subpaths but the helpers listed", async () => {
  const root: Record<string, unknown> = await import("../mod.ts");
  const exports: Record<string, string> = JSON.parse(
    Deno.readTextFileSync(new URL("../deno.json", import.meta.url)),
  ).exports;
  const ticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  // The row of `.`: the subpaths whose exports mod.ts has, but for the helpers listed.
  const included = ticked(row("`.`").split(" | ")[1]);
  const start = README.indexOf("`mod.ts` leaves out ");
  assert.ok(start >= 0, "README: no list of what mod.ts leaves out");
  const note = README.slice(start, README.indexOf("\n\n", start)).replace(/\s+/g, " ");
  const [outPart, helperPart] = note.split(" their subpath exports: ");
  const excluded = ticked(outPart).filter((name) => name.startsWith("./"));
  assert.deepEqual(
    [...included, ...excluded].sort(),
    Object.keys(exports).filter((sub) => sub !== ".").sort(),
    "every subpath is either in mod.ts or left out",
  );
  // The helpers listed per subpath are exactly the exports of that subpath that mod.ts lacks: a new
  // export left out of mod.ts (or one added to it) must be listed (or unlisted) here.
  const listed = Object.fromEntries(
    helperPart.replace(/\.$/, "").split("; ").map((part) => {
      const [sub, ...names] = ticked(part);
      return [sub, names.sort()];
    }),
  );
  const missing: Record<string, string[]> = {};
  for (const sub of included) {
    const mod: Record<string, unknown> = await import(
      new URL(`../${exports[sub]}`, import.meta.url).href
    );
    for (const [name, value] of Object.entries(mod)) {
      if (!(name in root)) (missing[sub] ??= []).push(name);
      else assert.equal(root[name], value, `${sub} ${name}: another value in mod.ts`);
    }
    missing[sub]?.sort();
  }
  assert.deepEqual(missing, listed);
  // The subpaths left out contribute nothing of their own to mod.ts (only what they re-export
  // from the included ones, such as `PreparedPrior`).
  const fromIncluded = new Set<unknown>();
  for (const sub of included) {
    for (
      const value of Object.values(
        await import(new URL(`../${exports[sub]}`, import.meta.url).href),
      )
    ) {
      fromIncluded.add(value);
    }
  }
  for (const sub of excluded.filter((s) => s !== "./maml" && s !== "./protocols")) {
    const mod: Record<string, unknown> = await import(
      new URL(`../${exports[sub]}`, import.meta.url).href
    );
    for (const [name, value] of Object.entries(mod)) {
      if (name in root) assert.ok(fromIncluded.has(value), `${sub} ${name} is in mod.ts`);
    }
  }
});

Deno.test("README search spaces: the largest grid is the code's (2^52 values)", () => {
  assert.equal(MAX_GRID_LEVELS, 2 ** 52);
  defineSpace({ k: int(0, 2 ** 52 - 1) }); // 2^52 values
  assert.throws(() => defineSpace({ k: int(0, 2 ** 52) }), /more than 2\^52 values/);
  assert.match(
    README.replace(/\s+/g, " "),
    /of more than 2\^52 values is refused with the field named/,
  );
  assert.doesNotMatch(README, /2\^53 values/);
});

Deno.test("README pool mode: ask(q) beyond what is left is the RangeError quoted, claiming nothing", () => {
  const study = new SMBO(defineSpace({ x: float(0, 1) }), {
    seed: 0,
    proposer: randomSearch(),
    candidates: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }],
  });
  study.ask(2);
  assert.equal(study.remaining, 1);
  let message = "";
  assert.throws(() => study.ask(2), (error: Error) => {
    message = error.message;
    return error instanceof RangeError;
  });
  assert.equal(study.trials.length, 2, "nothing was claimed");
  const text = README.replace(/\s+/g, " ");
  assert.ok(
    text.includes(
      `\`study.ask(q)\` with fewer than \`q\` candidates left is a \`RangeError\` (\`${message}\`) and claims nothing`,
    ),
    message,
  );
  assert.doesNotMatch(text, /a batch larger than what is left shrinks to it/);
});

/** The README as one line of text (line breaks and indentation as single spaces). */
const TEXT = README.replace(/\s+/g, " ");

/** `factory` recording the values and the hyperparameters of each fit. */
function recording(factory: SurrogateFactory) {
  const fits: { values: number[]; hyperparameters: unknown }[] = [];
  const spy: SurrogateFactory = {
    ...factory,
    fit(points, values, rng, hints) {
      const fitted = factory.fit(points, values, rng, hints);
      fits.push({
        values: Array.from(values),
        hyperparameters: (fitted as { hyperparameters?: unknown }).hyperparameters,
      });
      return fitted;
    },
  };
  return { fits, spy };
}

Deno.test("README defaults: a surrogate of your own gets no outcome transform unless asked; the log-normal recipe changes the priors only", async () => {
  const recipe =
    '`bayesOpt({ surrogate: gpFactory({ priors: "lognormal", mean: "constant" }), outcomeTransform: "yeo-johnson" })`';
  assert.ok(TEXT.includes(recipe), "README: the log-normal recipe");
  assert.ok(
    TEXT.includes(
      "A `surrogate` passed to `bayesOpt` (or to `recommendBest`) means no outcome transform unless `outcomeTransform` is given",
    ),
  );
  assert.doesNotMatch(TEXT, /The optimiser runs with them through/);
  assert.equal(GP_DEFAULTS.mean, "zero");
  assert.match(TEXT, /and to a zero prior mean \(`mean: "zero"`\)/);

  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const skewed = (p: { x: number; y: number }) => Math.exp(8 * p.x) + p.y;
  const run = async (proposer?: ReturnType<typeof bayesOpt>) =>
    (await minimize(skewed, space, { budget: 7, seed: 0, ...(proposer ? { proposer } : {}) }))
      .trials.map((t) => t.params);
  // The default's own options with the transform asked for: the default optimiser exactly.
  const same = recording(gpFactory(BAYES_OPT_DEFAULTS.surrogate));
  assert.deepEqual(
    await run(bayesOpt({ surrogate: same.spy, outcomeTransform: "yeo-johnson" })),
    await run(),
  );
  // The same factory without it: the values reach it standardised only.
  const bare = recording(gpFactory(BAYES_OPT_DEFAULTS.surrogate));
  await run(bayesOpt({ surrogate: bare.spy }));
  assert.notDeepEqual(bare.fits[0].values, same.fits[0].values);
  const mean = (v: number[]) => v.reduce((a, b) => a + b) / v.length;
  assert.ok(Math.abs(mean(bare.fits[0].values)) < 1e-12, "standardised, not transformed");
  // The recipe: the default's values, a fitted mean, and the fit of the default's options with
  // only the priors changed.
  const lognormal = recording(gpFactory({ priors: "lognormal", mean: "constant" }));
  await run(bayesOpt({ surrogate: lognormal.spy, outcomeTransform: "yeo-johnson" }));
  const onlyPriors = recording(gpFactory({ ...BAYES_OPT_DEFAULTS.surrogate, priors: "lognormal" }));
  await run(bayesOpt({ surrogate: onlyPriors.spy, outcomeTransform: "yeo-johnson" }));
  assert.deepEqual(lognormal.fits[0].values, same.fits[0].values);
  assert.deepEqual(lognormal.fits, onlyPriors.fits);
  const meanConstant = (fit: { hyperparameters: unknown }) =>
    (fit.hyperparameters as { meanConstant: number }).meanConstant;
  assert.notEqual(meanConstant(lognormal.fits[0]), 0);
  // The old recipe fits a zero mean to untransformed values.
  const old = recording(gpFactory({ priors: "lognormal" }));
  await run(bayesOpt({ surrogate: old.spy }));
  assert.equal(meanConstant(old.fits[0]), 0);
  assert.deepEqual(old.fits[0].values, bare.fits[0].values);
  // recommendBest follows the same rule.
  const result = await minimize(skewed, space, { budget: 8, seed: 0 });
  const byDefault = recommendBest(result, { seed: 0 });
  const asked = recommendBest(result, {
    seed: 0,
    surrogate: gpFactory(BAYES_OPT_DEFAULTS.surrogate),
    outcomeTransform: "yeo-johnson",
  });
  const untransformed = recommendBest(result, {
    seed: 0,
    surrogate: gpFactory(BAYES_OPT_DEFAULTS.surrogate),
  });
  assert.deepEqual([asked.mean, asked.sd], [byDefault.mean, byDefault.sd]);
  assert.notDeepEqual([untransformed.mean, untransformed.sd], [byDefault.mean, byDefault.sd]);
});

Deno.test("README defaults: without a seed, studies use seed 0", async () => {
  assert.ok(!("seed" in SMBO_DEFAULTS));
  assert.ok(
    TEXT.includes(
      "without `seed`, `minimize`, `SMBO` and `createStudy` use seed 0 (there is no `seed` in `SMBO_DEFAULTS`), so two runs without one give the same trials",
    ),
  );
  const space = defineSpace({ x: float(0, 1) });
  const params = async (seed?: number) =>
    (await minimize((p) => p.x, space, { budget: 6, ...(seed === undefined ? {} : { seed }) }))
      .trials.map((t) => t.params);
  const unseeded = await params();
  assert.deepEqual(await params(), unseeded);
  assert.deepEqual(await params(0), unseeded);
  assert.notDeepEqual(await params(1), unseeded);
  const first = (study: SMBO<{ x: number }>) => study.ask().params;
  assert.deepEqual(
    first(new SMBO(space, { proposer: bayesOpt() })),
    first(new SMBO(space, { seed: 0, proposer: bayesOpt() })),
  );
  const stored = await createStudy({ name: "unseeded", space });
  const stored0 = await createStudy({ name: "seed 0", space, seed: 0 });
  assert.deepEqual((await stored.ask()).params, (await stored0.ask()).params);
  await stored.close();
  await stored0.close();
});

Deno.test("README pool mode: a configuration listed twice is two candidates", async () => {
  assert.ok(
    TEXT.includes(
      "each listed entry at most once. Entries are not merged: a configuration listed twice is two candidates",
    ),
  );
  const space = defineSpace({ x: float(0, 1) });
  const candidates = [0.1, 0.3, 0.5, 0.7, 0.9, 0.5].map((x) => ({ x }));
  // A budget of the pool's length evaluates every entry: the duplicate twice.
  const result = await minimize((p) => (p.x - 0.5) ** 2, space, {
    budget: candidates.length,
    seed: 0,
    candidates,
  });
  assert.equal(result.trials.filter((t) => t.params.x === 0.5).length, 2);
  assert.equal(result.stopped, "budget");
});

Deno.test("README search spaces: more points than configurations repeat some, and the model evaluates again", async () => {
  assert.ok(
    TEXT.includes(
      "`space.sample(10, new Rng(0))` on a space of 4 configurations gives 10 points, 4 of them distinct",
    ),
  );
  assert.ok(
    TEXT.includes(
      "`minimize` on `int(0, 2)` with a budget of 8 evaluates configurations again, in its initial design of 5",
    ),
  );
  const four = defineSpace({ a: categorical(["x", "y"]), b: int(0, 1) });
  const sample = four.sample(10, new Rng(0));
  assert.equal(sample.length, 10);
  assert.equal(new Set(sample.map((p) => JSON.stringify(p))).size, 4);

  const tiny = defineSpace({ n: int(0, 2) });
  assert.equal(budgetedDesignSize(tiny, 8), 5);
  const result = await minimize((p) => Math.abs(p.n - 1), tiny, { budget: 8, seed: 0 });
  assert.equal(result.trials.length, 8);
  const design = result.trials.filter((t) => t.source === "initial");
  assert.equal(design.length, 5);
  assert.equal(new Set(design.map((t) => t.params.n)).size, 3, "every configuration, then repeats");
  const model = result.trials.filter((t) => t.source === "model");
  assert.equal(model.length, 3);
  // Every configuration was evaluated by the design: each model step evaluates one again.
  assert.ok(model.every((t) => design.some((d) => d.params.n === t.params.n)));
});

Deno.test("README search spaces: a float grid's values are low + k·step in float64", () => {
  assert.equal(0 + 3 * 0.1, 0.30000000000000004);
  assert.ok(
    TEXT.includes(
      "the initial design and the model hand the objective `0 + 3 * 0.1`, which is 0.30000000000000004",
    ),
  );
  assert.ok(TEXT.includes("every grid index round-trips"));
  assert.doesNotMatch(TEXT, /is exact and every value round-trips/);
  const space = defineSpace({ v: float(0, 1, { step: 0.1 }) });
  assert.equal(space.validate({ v: 0.3 }).v, 0.3);
  assert.equal(space.decode(space.encode({ v: 0.3 })).v, 0 + 3 * 0.1);
  assert.deepEqual(space.encode({ v: 0.3 }), space.encode({ v: 0 + 3 * 0.1 }));
  assert.equal(space.decode(Float64Array.of(1)).v, 1, "the last value is high");
  // A design over the whole grid hands out 0 + 3·0.1; an enqueued 0.3 stays as written.
  const design = new SMBO(space, { seed: 0, proposer: randomSearch(), initialDesignSize: 11 })
    .ask(11).map((t) => t.params.v);
  assert.ok(design.includes(0 + 3 * 0.1));
  assert.ok(!design.includes(0.3));
  const study = new SMBO(space, { seed: 0, proposer: randomSearch() });
  study.enqueue({ v: 0.3 });
  assert.equal(study.ask().params.v, 0.3);
});

Deno.test("README transfer: without meta-features the warm start is the greedy portfolio's first pick", () => {
  assert.ok(
    TEXT.includes(
      "Without meta-features (or when no past task shares an available meta-feature with the new task) it is the first pick of a greedy portfolio over the past tasks' best configurations",
    ),
  );
  assert.doesNotMatch(TEXT, /without them, the best across past tasks/);
  const space = defineSpace({ x: float(0, 1) });
  const task = (id: string, values: [number, number, number]) => ({
    id,
    trials: [0.1, 0.9, 0.5].map((x, i) => ({ params: { x }, value: values[i] })),
  });
  // The lowest value across tasks is A's at x = 0.1; B and C, normalised alike, both prefer 0.9.
  const store = TaskStore.from([
    task("A", [-1000, -999, 0]),
    task("B", [2, 1, 3]),
    task("C", [2, 1, 3]),
  ]);
  for (const strategy of ["rgpe", "rgpe-gp", "tst-r", "taf"] as const) {
    assert.deepEqual(transferOptions(store, space, { strategy }).initialConfigurations, [
      { x: 0.9 },
    ]);
  }
});

Deno.test("README transfer: rgpe-gp's handover is not capped by the budget", async () => {
  assert.ok(
    TEXT.includes(
      "By default `handover` is `2·max(5, 2·p + 1)` for p searched parameters (`defaultHandover`)",
    ),
  );
  assert.ok(
    TEXT.includes(
      "with p = 6 the handover is 26, and a study of budget 16 (where plain GP-BO's design is 8) never hands over",
    ),
  );
  assert.equal(defaultHandover(6), 26);
  assert.equal(budgetedDesignSize(6, 16), 8);
  // One parameter: handover 10. A budget of 10 never reaches it, so rgpe-gp is its RGPE.
  const space = defineSpace({ x: float(0, 1) });
  assert.equal(defaultHandover(space), 10);
  const rng = new Rng(1);
  const store = TaskStore.from([0.3, 0.6].map((shift, i) => ({
    id: `t${i}`,
    trials: Array.from({ length: 8 }, () => {
      const x = rng.uniform();
      return { params: { x }, value: (x - shift) ** 2 };
    }),
  })));
  const run = async (setup: ReturnType<typeof transferOptions<{ x: number }>>, budget: number) =>
    (await minimize((p) => (p.x - 0.45) ** 2, space, { budget, seed: 0, ...setup })).trials
      .map((t) => t.params.x);
  const rgpeGp = transferOptions(store, space);
  const rgpe = transferOptions(store, space, { strategy: "rgpe", rgpe: { relevance: 0.05 } });
  assert.deepEqual(await run(rgpeGp, 10), await run(rgpe, 10));
  // With a budget beyond it, GP-BO takes over at the 10th evaluation.
  const longer = [await run(rgpeGp, 12), await run(rgpe, 12)];
  assert.equal(longer[0].findIndex((x, i) => x !== longer[1][i]), 10);
});

Deno.test("README entry points: what has no subpath is exported by mod.ts only, from the modules named", async () => {
  const start = TEXT.indexOf("Some concepts have no subpath and are exported by `mod.ts` only: ");
  assert.ok(start >= 0, "README: no list of what only mod.ts exports");
  const paragraph = TEXT.slice(start, TEXT.indexOf("Import them from `mod.ts`.", start));
  const named = [...paragraph.matchAll(/`(lib\/[^`]+)`/g)].map((m) => `./${m[1]}`);
  assert.ok(named.length > 0);
  // Where each export of mod.ts comes from, read from its `export … from` statements.
  const source = Deno.readTextFileSync(new URL("../mod.ts", import.meta.url));
  const origin = new Map<string, string>();
  for (const m of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"([^"]+)"/g)) {
    for (const item of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
      const name = item.replace(/^type\s+/, "").split(/\s+as\s+/).pop()!;
      origin.set(name, m[2]);
    }
  }
  const exports: Record<string, string> = JSON.parse(
    Deno.readTextFileSync(new URL("../deno.json", import.meta.url)),
  ).exports;
  // Names some subpath exports: the light ones imported, the TensorFlow.js ones read.
  const inSubpath = new Set<string>();
  for (const [sub, file] of Object.entries(exports)) {
    if (sub === ".") continue;
    if (sub === "./maml" || sub === "./protocols") {
      const text = Deno.readTextFileSync(new URL(`../${file}`, import.meta.url));
      for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
        for (const item of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
          inSubpath.add(item.replace(/^type\s+/, "").split(/\s+as\s+/).pop()!);
        }
      }
      continue;
    }
    const mod = await import(new URL(`../${file}`, import.meta.url).href);
    for (const name of Object.keys(mod)) inSubpath.add(name);
  }
  const root: Record<string, unknown> = await import("../mod.ts");
  const only = Object.keys(root).filter((name) => !inSubpath.has(name));
  assert.ok(only.length > 0);
  const used = new Set<string>();
  for (const name of only) {
    const from = origin.get(name);
    assert.ok(from, `mod.ts: no export statement for ${name}`);
    const dir = named.find((d) => from === d || from.startsWith(`${d}/`));
    assert.ok(
      dir,
      `${name} (from ${from}) is only in mod.ts, and the README does not name its module`,
    );
    used.add(dir);
  }
  assert.deepEqual([...used].sort(), [...new Set(named)].sort(), "every module named has some");
  // None of them is a subpath's module.
  for (const file of Object.values(exports)) {
    assert.ok(!named.some((d) => file.startsWith(`${d}/`) || file === d), file);
  }
});

Deno.test("README: restore keeps the learner's own loss; fromCheckpoint refuses a loss other than the recorded one", async () => {
  const maml = await import("../maml.ts");
  await maml.useBackend("cpu");
  const net = () => maml.mlp({ sizes: [2, 4, 3] });
  const source = maml.createLearner("maml", net(), {
    seed: 1,
    loss: maml.softmaxCrossEntropy,
  });
  const saved = maml.checkpointLearner(source, 0);
  assert.equal(saved.loss, "softmaxCrossEntropy");
  const target = maml.createLearner("maml", net(), { seed: 2 });
  maml.restoreLearner(target, saved);
  assert.equal(target.loss, maml.mse, "restore keeps the learner's loss");
  assert.throws(() => maml.fromCheckpoint(saved, net(), { loss: maml.mse }), /loss/);
  const rebuilt = maml.fromCheckpoint(saved, net());
  assert.equal(rebuilt.loss, maml.softmaxCrossEntropy);
  for (const learner of [source, target, rebuilt]) learner.dispose();
});
