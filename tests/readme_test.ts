/**
 * The README's defaults table states what the code does: each row is rebuilt from the defaults
 * objects the optimiser reads, and must appear in the README as written.
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
  logNormalPriors,
  type Prior,
  SMBO_DEFAULTS,
} from "../mod.ts";

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
