/**
 * The README states what the code does: each row of the defaults table is rebuilt from the
 * defaults objects the optimiser reads, and must appear in the README as written; the entry-points
 * table names what `mod.ts` leaves out, and stated limits and messages are the code's.
 */
import assert from "node:assert/strict";
import {
  ACQUISITION_OPTIMIZER_DEFAULTS,
  BAYES_OPT_DEFAULTS,
  budgetedDesignSize,
  categorical,
  defineSpace,
  float,
  GAMMA_PRIORS,
  GP_DEFAULTS,
  int,
  logNormalPriors,
  type Prior,
  randomSearch,
  SMBO,
  SMBO_DEFAULTS,
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
