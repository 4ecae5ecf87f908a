import assert from "node:assert/strict";
import { SMBO, SMBO_DEFAULTS } from "../../lib/smbo/study.ts";
import { Rng } from "../../lib/random/rng.ts";
import { type Proposer, randomSearch } from "../../lib/smbo/proposer.ts";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { resolveOutcome } from "../../lib/smbo/trial.ts";
import { categorical, defineSpace, float, initialDesign, int } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(-1, 1), n: int(1, 5), c: categorical(["a", "b", "c"]) });

Deno.test("ask serves enqueued configurations first, then the initial design, then the model", () => {
  const study = new SMBO(space, { seed: 0, proposer: bayesOpt(), initialDesignSize: 3 });
  study.enqueue({ x: 0.25, n: 2, c: "b" });
  const sources: string[] = [];
  for (let i = 0; i < 6; i++) {
    const trial = study.ask();
    sources.push(trial.source);
    if (i === 0) assert.deepEqual(trial.params, { x: 0.25, n: 2, c: "b" });
    study.tell(trial, trial.params.x ** 2 + trial.params.n);
  }
  assert.deepEqual(sources, ["enqueued", "initial", "initial", "initial", "model", "model"]);
});

Deno.test("the initial design is the same however it is asked for", () => {
  const one = new SMBO(space, { seed: 5, proposer: randomSearch(), initialDesignSize: 6 });
  const firstByOne = Array.from({ length: 6 }, () => one.ask().params);
  const batch = new SMBO(space, { seed: 5, proposer: randomSearch(), initialDesignSize: 6 });
  const firstByBatch = [...batch.ask(2), ...batch.ask(4)].map((t) => t.params);
  assert.deepEqual(firstByOne, firstByBatch);
});

Deno.test("tell rejects unknown and already told trials and changes nothing", () => {
  const study = new SMBO(space, { seed: 0, proposer: randomSearch() });
  const trial = study.ask();
  assert.throws(() => study.tell(99, 1), /no trial with id 99/);
  study.tell(trial, 1.5);
  assert.throws(() => study.tell(trial, 2), /already told \(complete\)/);
  assert.equal(study.trials[0].value, 1.5);
  assert.equal(study.best.value, 1.5);
});

Deno.test("tell accepts an Error or an { error } object as a failure", () => {
  const study = new SMBO(space, { seed: 0, proposer: randomSearch() });
  const [a, b] = study.ask(2);
  assert.equal(study.tell(a, new Error("diverged")).error, "Error: diverged");
  assert.equal(study.tell(b.id, { error: "out of memory" }).status, "failed");
  assert.deepEqual(resolveOutcome(null), {
    status: "failed",
    error: "objective returned null, expected a finite number",
  });
});

Deno.test("pending trials are not proposed again (kriging believer)", () => {
  const study = new SMBO(defineSpace({ x: float(0, 1) }), {
    seed: 0,
    proposer: bayesOpt(),
    initialDesignSize: 4,
  });
  for (const trial of study.ask(4)) study.tell(trial, (trial.params.x - 0.5) ** 2);
  const first = study.ask();
  const second = study.ask();
  assert.ok(Math.abs(first.params.x - second.params.x) > 1e-6);
});

Deno.test("enqueue and ask reject bad input without changing the study", () => {
  const study = new SMBO(space, { seed: 0, proposer: randomSearch() });
  assert.throws(() => study.enqueue({ x: 3, n: 2, c: "a" }), /x/);
  assert.throws(() => study.enqueue({ x: 0, n: 2, c: "z" } as never), /c/);
  assert.throws(() => study.ask(0), /q must be a positive integer/);
  assert.equal(study.trials.length, 0);
  assert.throws(
    () => new SMBO(space, { seed: 0.5, proposer: randomSearch() }),
    /SMBO options\.seed/,
  );
  assert.throws(
    () => new SMBO(space, { seed: 0, proposer: {} as never }),
    /SMBO options\.proposer/,
  );
  assert.throws(
    () => new SMBO(space, { proposer: randomSearch(), initialDesign: "grid" as "lhs" }),
    /SMBO options\.initialDesign/,
  );
});

Deno.test("a proposer returning the wrong number of points is reported by name", () => {
  const study = new SMBO(defineSpace({ x: float(0, 1) }), {
    seed: 0,
    initialDesignSize: 0,
    proposer: { name: "broken", propose: () => [] },
  });
  const first = study.ask();
  assert.equal(first.source, "random", "with no value yet the study explores at random");
  study.tell(first, 1);
  assert.throws(() => study.ask(), /proposer broken returned 0 points, expected 1/);
});

Deno.test("tell owns the outcome: details cannot set status, value or params; seconds is checked", () => {
  const x = defineSpace({ x: float(0, 1) });
  const study = new SMBO(x, { seed: 0, proposer: randomSearch() });
  const [a, b] = study.ask(2);
  const bad: Record<string, unknown>[] = [
    { status: "complete", value: -99, params: { x: 42 } },
    { status: "running" },
    { seconds: -1 },
    { seconds: NaN },
    { seconds: "3" },
    { seconds: Infinity },
  ];
  for (const details of bad) {
    assert.throws(() => study.tell(a, NaN, details as { seconds?: number }), /tell details/);
  }
  assert.equal(study.trials[0].status, "running", "a rejected tell changes nothing");
  const failed = study.tell(a, NaN, { seconds: 0.5 });
  assert.equal(failed.status, "failed");
  assert.equal(failed.seconds, 0.5);
  assert.throws(() => study.tell(a, 1), /already told \(failed\)/);
  study.tell(b, 0.25);
  assert.equal(study.best.value, 0.25);
  assert.deepEqual(study.best.params, b.params);
  // Trials are frozen: neither the asked nor the recorded ones can be edited.
  assert.throws(() => {
    (study.trials[1] as { value?: number }).value = -1;
  }, TypeError);
  assert.throws(() => {
    (study.trials[1].params as { x: number }).x = 42;
  }, TypeError);
  assert.equal(study.best.value, 0.25);
});

Deno.test("trials are typed read-only, as they are frozen; the objective's copy stays editable", async () => {
  const x = defineSpace({ x: float(0, 1) });
  const result = await minimize(
    (p) => {
      p.x = p.x * 2; // the objective's own copy
      return p.x;
    },
    x,
    { budget: 3, seed: 0, proposer: randomSearch() },
  );
  const [trial] = result.trials;
  assert.throws(() => {
    // @ts-expect-error a trial's fields are read-only
    trial.value = 0;
  }, TypeError);
  assert.throws(() => {
    // @ts-expect-error so is its status
    trial.status = "failed";
  }, TypeError);
  assert.throws(() => {
    // @ts-expect-error and its configuration
    trial.params.x = 0.5;
  }, TypeError);
  assert.throws(() => {
    // @ts-expect-error the best trial's configuration is the trial's own
    result.best.params.x = 0.5;
  }, TypeError);
  const study = new SMBO(x, { seed: 0, proposer: randomSearch() });
  const asked = study.ask();
  assert.throws(() => {
    // @ts-expect-error an asked trial is read-only too
    asked.params.x = 0.1;
  }, TypeError);
  // A read-only configuration still goes wherever a configuration goes.
  const again: { x: number } = { ...asked.params };
  study.tell(asked, again.x);
  assert.equal(study.best.params.x, asked.params.x);
});

Deno.test("SMBO options are strict and the space is checked", () => {
  const x = defineSpace({ x: float(0, 1) });
  assert.throws(
    () => new SMBO(x, { proposer: randomSearch(), initialDesignSzie: 3 } as never),
    /SMBO options\.initialDesignSzie: unknown key/,
  );
  assert.throws(
    () => new SMBO(null as never, { proposer: randomSearch() }),
    /SMBO space: must be a search space/,
  );
  assert.throws(() => bayesOpt({ restart: 3 } as never), /bayesOpt options\.restart: unknown key/);
});

Deno.test("the initial design is the space module's initialDesign, as space.sample", () => {
  const study = new SMBO(space, { seed: 3, proposer: randomSearch(), initialDesignSize: 5 });
  const asked = study.ask(5).map((t) => t.params);
  // The study spawns its design generator from its seeded Rng.
  const design = initialDesign(space, 5, new Rng(3).spawn(), "sobol").map((u) => space.decode(u));
  assert.deepEqual(asked, design);
  for (const method of ["sobol", "lhs", "uniform"] as const) {
    const s = new SMBO(space, { seed: 1, proposer: randomSearch(), initialDesign: method });
    assert.deepEqual(
      s.ask(3).map((t) => t.params),
      space.sample(SMBO_DEFAULTS.initialDesignSize(space), new Rng(1).spawn(), method)
        .slice(0, 3),
    );
  }
});

Deno.test("the initial design does not repeat configurations asked before it", () => {
  // 6 configurations: 3 initial configurations and a 3-point design use each exactly once.
  const small = defineSpace({ a: int(1, 3), b: int(1, 2) });
  const initialConfigurations = [{ a: 1, b: 1 }, { a: 2, b: 2 }, { a: 3, b: 1 }];
  for (let seed = 0; seed < 10; seed++) {
    const study = new SMBO(small, {
      seed,
      proposer: randomSearch(),
      initialDesignSize: 3,
      initialConfigurations,
    });
    const asked = study.ask(6);
    assert.deepEqual(asked.map((t) => t.source), [
      "enqueued",
      "enqueued",
      "enqueued",
      "initial",
      "initial",
      "initial",
    ]);
    assert.equal(new Set(asked.map((t) => JSON.stringify(t.params))).size, 6, `seed ${seed}`);
  }
});

Deno.test("pool mode: remaining counts what ask can still give; a too large batch is refused", () => {
  const x = defineSpace({ x: float(0, 1) });
  const study = new SMBO(x, {
    seed: 0,
    proposer: randomSearch(),
    candidates: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }],
  });
  assert.equal(study.remaining, 3);
  study.enqueue({ x: 0.2 });
  assert.equal(study.remaining, 3, "an enqueued candidate is still to be asked");
  study.ask(2);
  assert.equal(study.remaining, 1);
  assert.throws(() => study.ask(2), {
    name: "RangeError",
    message: "ask(2): the candidate pool has only 1 unused configuration left",
  });
  assert.equal(study.trials.length, 2);
  study.ask();
  // ask() and ask(1) alike: the message names no count.
  for (const ask of [() => study.ask(), () => study.ask(1)]) {
    assert.throws(ask, {
      name: "RangeError",
      message: "ask: the candidate pool has only 0 unused configurations left",
    });
  }
  assert.equal(new SMBO(x, { proposer: randomSearch() }).remaining, Infinity);
});

Deno.test("a proposer returning a non-finite or misshapen point is reported by name", () => {
  for (const bad of [Float64Array.of(NaN), Float64Array.of(0.5, 0.5), [0.5] as unknown]) {
    const study = new SMBO(defineSpace({ x: float(0, 1) }), {
      seed: 0,
      initialDesignSize: 1,
      proposer: { name: "broken", propose: () => [bad as Float64Array] },
    });
    study.tell(study.ask(), 1);
    assert.throws(() => study.ask(), /proposer broken returned point 0 that is not a Float64Array/);
    assert.equal(study.trials.length, 1);
  }
});

Deno.test("tell refuses a JSON copy of its own running trial without saying it was not asked", () => {
  const study = new SMBO(defineSpace({ x: float(0, 1) }), { seed: 0, proposer: randomSearch() });
  const trial = study.ask();
  const copy = JSON.parse(JSON.stringify(trial));
  assert.throws(() => study.tell(copy, 1), (error: Error) => {
    assert.equal(error.name, "RangeError");
    assert.doesNotMatch(error.message, /not asked/);
    assert.match(error.message, /^tell: trial 0 is not a trial object this study handed out/);
    assert.match(error.message, /the trial that ask returned .*or its integer id$/);
    return true;
  });
  assert.equal(study.trials[0].status, "running", "a refused tell changes nothing");
  assert.equal(study.tell(copy.id, 1).value, 1, "its id is told");
});

Deno.test("tell takes only trials this study asked: a foreign or hand-made trial changes nothing", () => {
  const x = defineSpace({ x: float(-2, 2) });
  const a = new SMBO(x, { seed: 1, proposer: randomSearch() });
  const b = new SMBO(x, { seed: 2, proposer: randomSearch() });
  const mine = a.ask();
  const theirs = b.ask();
  assert.equal(theirs.id, mine.id);
  assert.throws(
    () => a.tell(theirs, 123),
    /^RangeError: tell: trial 0 is not a trial object this study handed out: tell takes the trial that ask returned \(or a copy keeping its frozen params, such as \{ \.\.\.trial \}; a JSON copy is not one\) or its integer id$/,
  );
  const handMade = { id: 0, params: { x: mine.params.x }, status: "running", source: "initial" };
  assert.throws(() => a.tell(handMade as typeof mine, 1), /tell: trial 0 is not a trial object/);
  assert.throws(() => a.tell({ ...handMade, id: 5 } as typeof mine, 1), /trial 5 is not a trial/);
  assert.equal(a.trials[0].status, "running", "a rejected tell changes nothing");
  // A copy of an asked trial keeps its frozen params and is accepted; so is the id.
  assert.equal(a.tell({ ...mine }, 0.5).value, 0.5);
  assert.throws(() => a.tell(mine, 1), /already told \(complete\)/);
  assert.equal(b.tell(theirs.id, 2).value, 2);
  assert.deepEqual(a.best.params, mine.params);
});

Deno.test("tell names a trial argument that is neither a trial nor an integer id", () => {
  const study = new SMBO(defineSpace({ x: float(0, 1) }), { seed: 0, proposer: randomSearch() });
  study.ask();
  assert.throws(
    () => study.tell("0" as never, 1),
    /^TypeError: tell: trial must be a trial of this study or its integer id, got the string "0"$/,
  );
  assert.throws(() => study.tell(null as never, 1), /got null/);
  assert.throws(() => study.tell(0.5, 1), /no trial with id 0\.5 in this study/);
  assert.throws(
    () => study.tell({ id: "0" } as never, 1),
    /trial with id the string "0" is not a trial/,
  );
  assert.equal(study.trials[0].status, "running");
});

/** A proposer that throws while `failing()` says so, else proposes uniform points. */
function flaky(failing: () => boolean) {
  return {
    name: "flaky",
    propose(context: { rng: Rng; dim: number }, q: number) {
      if (failing()) throw new Error("proposer failed");
      return Array.from({ length: q }, () => context.rng.uniforms(context.dim));
    },
  };
}

Deno.test("ask is all or nothing: a proposer that throws mid-batch leaves no trial behind", () => {
  const x = defineSpace({ x: float(0, 1) });
  let fail = false;
  const study = new SMBO(x, {
    seed: 0,
    proposer: flaky(() => fail),
    initialDesignSize: 3,
    initialConfigurations: [{ x: 0.5 }],
  });
  const reference = new SMBO(x, {
    seed: 0,
    proposer: flaky(() => false),
    initialDesignSize: 3,
    initialConfigurations: [{ x: 0.5 }],
  });
  for (const s of [study, reference]) s.tell(s.ask(), 0.25);
  // The batch takes 3 design points, then the proposer throws: nothing of it stays.
  fail = true;
  assert.throws(() => study.ask(5), /proposer failed/);
  assert.deepEqual(study.trials.map((t) => t.status), ["complete"]);
  assert.throws(() => study.ask(5), /proposer failed/);
  fail = false;
  // The retry asks what a study that never failed asks, design points and proposals alike.
  const retried = study.ask(5);
  const expected = reference.ask(5);
  assert.deepEqual(
    retried.map((t) => [t.id, t.source, t.params]),
    expected.map((t) => [
      t.id,
      t.source,
      t.params,
    ]),
  );
  assert.deepEqual(retried.map((t) => t.source), [
    "initial",
    "initial",
    "initial",
    "model",
    "model",
  ]);
  for (const [s, ts] of [[study, retried], [reference, expected]] as const) {
    for (const t of ts) s.tell(t, t.params.x);
  }
  assert.deepEqual(study.ask(2).map((t) => t.params), reference.ask(2).map((t) => t.params));
});

Deno.test("ask is all or nothing in pool mode and with enqueued configurations", () => {
  const x = defineSpace({ x: float(0, 1) });
  const candidates = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7].map((v) => ({ x: v }));
  let fail = false;
  const make = (failing: () => boolean) => {
    const s = new SMBO(x, { seed: 4, proposer: flaky(failing), initialDesignSize: 2, candidates });
    s.tell(s.ask(), 1);
    s.enqueue({ x: 0.4 });
    return s;
  };
  const study = make(() => fail);
  const reference = make(() => false);
  assert.equal(study.remaining, 6);
  // The batch takes the enqueued candidate and a design candidate, then the proposer throws.
  fail = true;
  assert.throws(() => study.ask(3), /proposer failed/);
  assert.equal(study.trials.length, 1);
  assert.equal(study.remaining, 6, "the enqueued and design candidates are given back");
  fail = false;
  const asked = study.ask(2);
  assert.deepEqual(asked.map((t) => t.source), ["enqueued", "initial"]);
  assert.deepEqual(asked.map((t) => t.params), reference.ask(2).map((t) => t.params));
  assert.equal(study.remaining, 4);
});

Deno.test("pool trials keep each candidate's key order, so a table keyed by its JSON finds them", async () => {
  const space = defineSpace({ a: float(0, 1), b: int(1, 3) });
  // Rows as a CSV reader gives them: columns in another order than the space's.
  const rows = [0.1, 0.5, 0.9].flatMap((a) => [1, 2, 3].map((b) => ({ b, a })));
  const table = new Map(rows.map((r) => [JSON.stringify(r), (r.a - 0.5) ** 2 + r.b]));
  const lookup = (p: { a: number; b: number }) => {
    const value = table.get(JSON.stringify(p));
    if (value === undefined) throw new Error(`not in the table: ${JSON.stringify(p)}`);
    return value;
  };
  const result = await minimize(lookup, space, {
    budget: 6,
    seed: 0,
    candidates: rows,
    initialConfigurations: [{ a: 0.9, b: 3 }],
  });
  assert.ok(result.trials.every((t) => t.status === "complete"), JSON.stringify(result.trials));
  assert.deepEqual(Object.keys(result.trials[0].params), ["b", "a"]);
  assert.deepEqual(result.trials[0].params, { b: 3, a: 0.9 });
});

/** A proposer that records the values of every context it is given, then proposes randomly. */
function recordingProposer(): Proposer & { seen: number[][] } {
  const inner = randomSearch();
  const seen: number[][] = [];
  return {
    name: "recording",
    seen,
    propose(context, q) {
      seen.push([...context.values]);
      return inner.propose(context, q);
    },
  };
}

Deno.test('direction "maximize": trials keep the told values, best is the highest, the proposer sees them negated and failures at the lowest', () => {
  const x = defineSpace({ x: float(0, 1) });
  const proposer = recordingProposer();
  const study = new SMBO(x, {
    seed: 1,
    proposer,
    initialDesignSize: 4,
    direction: "maximize",
  });
  assert.equal(study.direction, "maximize");
  const told = [0.5, 0.9, 0.2, NaN, 0.7];
  for (const value of told) study.tell(study.ask(), value);
  study.ask(); // a model proposal: it sees the complete values negated, the failure at −0.2
  assert.deepEqual(study.trials.slice(0, 5).map((t) => t.value), [0.5, 0.9, 0.2, undefined, 0.7]);
  assert.equal(study.best.value, 0.9);
  assert.equal(study.best.trial.id, 1);
  assert.deepEqual(proposer.seen.at(-1), [-0.5, -0.9, -0.2, -0.7, -0.2]);
  // The same study minimising: the values as told, the failure at the highest.
  const minimising = recordingProposer();
  const plain = new SMBO(x, { seed: 1, proposer: minimising, initialDesignSize: 4 });
  assert.equal(plain.direction, "minimize");
  for (const value of told) plain.tell(plain.ask(), value);
  plain.ask();
  assert.equal(plain.best.value, 0.2);
  assert.deepEqual(minimising.seen.at(-1), [0.5, 0.9, 0.2, 0.7, 0.9]);
  // Same seed, same told values: the same configurations in either direction.
  assert.deepEqual(plain.trials.map((t) => t.params), study.trials.map((t) => t.params));
});

Deno.test("direction: a bad value is a TypeError naming it; the default is minimize", () => {
  const x = defineSpace({ x: float(0, 1) });
  assert.throws(
    () => new SMBO(x, { proposer: randomSearch(), direction: "max" as never }),
    (error: Error) =>
      error instanceof TypeError && /SMBO options\.direction/.test(error.message) &&
      /"minimize", "maximize"/.test(error.message),
  );
  assert.equal(SMBO_DEFAULTS.direction, "minimize");
  assert.equal(new SMBO(x, { proposer: randomSearch() }).direction, "minimize");
});

Deno.test("tell refuses an outcome that is not a number, an Error or { error }, and changes nothing", () => {
  const study = new SMBO(space, { seed: 0, proposer: randomSearch() });
  const trial = study.ask();
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  for (const outcome of [{ value: 0.5 }, "0.5", undefined, null, 1n, { error: 5 }, proxy]) {
    assert.throws(
      () => study.tell(trial, outcome as never),
      (error: Error) =>
        error instanceof TypeError && /^tell: outcome must be a number/.test(error.message) &&
        error.message.includes("tell(trial, 0.5)"),
    );
  }
  assert.equal(study.trials[0].status, "running");
  assert.equal(study.tell(trial, 0.5).value, 0.5);
});

Deno.test("resolveOutcome never throws, whatever it is given", () => {
  const badMessage = new Error("x");
  Object.defineProperty(badMessage, "message", {
    get() {
      throw new Error("getter");
    },
  });
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  for (const outcome of [badMessage, proxy]) {
    assert.deepEqual(resolveOutcome(outcome), {
      status: "failed",
      error: "objective gave a value that cannot be described",
    });
  }
});

Deno.test('error messages describe the value: ask("2"), a seed beyond the safe integers', () => {
  const study = new SMBO(space, { seed: 0, proposer: randomSearch() });
  assert.throws(
    () => study.ask("2" as never),
    /ask\(q\): q must be a positive integer, got the string "2"/,
  );
  assert.throws(
    () => new SMBO(space, { proposer: randomSearch(), seed: 2 ** 60 }),
    /SMBO options\.seed: must be a safe integer/,
  );
  assert.throws(
    () => new SMBO(space, { proposer: randomSearch(), seed: 1.5 }),
    /SMBO options\.seed: must be an integer$/,
  );
  assert.throws(
    () => defineSpace({ n: int(1, 2 ** 53, { log: true }) }),
    /space\.n\.high: must be a safe integer/,
  );
});

Deno.test("pool mode: distinct candidates stay distinct however close their points, duplicates count twice", () => {
  const wide = defineSpace({ x: float(0, 1e9) });
  const candidates = [{ x: 5 }, { x: 5.0005 }];
  const study = new SMBO(wide, { seed: 0, proposer: randomSearch(), candidates });
  study.enqueue({ x: 5.0005 });
  const first = study.ask();
  assert.deepEqual(first.params, { x: 5.0005 }, "the enqueued configuration as given");
  study.tell(first, 1);
  assert.deepEqual(study.ask().params, { x: 5 });
  assert.equal(study.remaining, 0);
  // Not a candidate, however close.
  const other = new SMBO(wide, { seed: 0, proposer: randomSearch(), candidates: [{ x: 5 }] });
  assert.throws(() => other.enqueue({ x: 5.0005 }), /must be an unused candidate/);
  // A proposer that returns candidate points (copies, or projected) gets each candidate once.
  const copies: Proposer = {
    name: "copies",
    propose: (context, q) => context.pool!.slice(0, q).map((u) => context.project(u)),
  };
  const three = [{ x: 5 }, { x: 5.0005 }, { x: 7 }];
  const pooled = new SMBO(wide, {
    seed: 1,
    proposer: copies,
    candidates: three,
    initialDesignSize: 1,
  });
  const asked = [pooled.ask()];
  pooled.tell(asked[0], 0);
  asked.push(...pooled.ask(2));
  assert.deepEqual(asked.map((t) => t.params.x).sort(), [5, 5.0005, 7]);
  // A configuration listed twice is two candidates here.
  const twice = new SMBO(wide, {
    seed: 0,
    proposer: randomSearch(),
    candidates: [{ x: 5 }, { x: 5 }],
  });
  twice.enqueue({ x: 5 });
  twice.enqueue({ x: 5 });
  assert.throws(() => twice.enqueue({ x: 5 }), /must be an unused candidate/);
});

Deno.test("a failed ask undoes a proposer's in-place edits of its memory: the retry asks the same configurations", () => {
  const space = defineSpace({ x: float(0, 1) });
  // Keeps its history in an object of context.memory, edited in place, and fails once.
  const sampler = (failAt: number | undefined): Proposer => {
    let calls = 0;
    return {
      name: "in-place",
      propose(context, q) {
        const state = (context.memory.get("in-place") as
          | { draws: number; log: number[]; seen: Map<string, number[]> }
          | undefined) ?? { draws: 0, log: [], seen: new Map([["a", [0]]]) };
        context.memory.set("in-place", state);
        state.draws += q;
        state.log.push(q);
        state.seen.get("a")!.push(q);
        if (calls++ === failAt) throw new Error("transient failure");
        const offset = state.log.length + state.seen.get("a")!.length;
        return Array.from(
          { length: q },
          (_, k) => Float64Array.of(((state.draws + k + offset) * 0.618) % 1),
        );
      },
    };
  };
  const run = (failAt: number | undefined) => {
    const study = new SMBO(space, { seed: 0, proposer: sampler(failAt), initialDesignSize: 2 });
    const xs: number[] = [];
    for (let i = 0; i < 6; i++) {
      let trial;
      try {
        trial = study.ask();
      } catch (error) {
        assert.match((error as Error).message, /transient failure/);
        assert.equal(study.trials.length, i);
        trial = study.ask();
      }
      xs.push(trial.params.x);
      study.tell(trial, trial.params.x);
    }
    return xs;
  };
  assert.deepEqual(run(1), run(undefined));
});

Deno.test("a failed ask restores bayesOpt's list of candidates (retrainAfter) as it was", () => {
  const space = defineSpace({ x: float(0, 1), y: float(0, 1) });
  const run = (failOnce: boolean) => {
    const inner = bayesOpt({ retrainAfter: 3, rawSamples: 64, restarts: 1, incumbentSamples: 0 });
    let failed = false;
    // Fails after the inner proposer answered from its list (the second model proposal).
    let proposals = 0;
    const proposer: Proposer = {
      name: "after-inner",
      propose(context, q) {
        const points = inner.propose(context, q);
        if (failOnce && !failed && ++proposals === 2) {
          failed = true;
          throw new Error("failed after the inner proposal");
        }
        return points;
      },
    };
    const study = new SMBO(space, { seed: 3, proposer, initialDesignSize: 3 });
    const xs: number[][] = [];
    for (let i = 0; i < 7; i++) {
      let trial;
      try {
        trial = study.ask();
      } catch {
        trial = study.ask();
      }
      xs.push([trial.params.x, trial.params.y]);
      study.tell(trial, (trial.params.x - 0.3) ** 2 + trial.params.y);
    }
    return xs;
  };
  assert.deepEqual(run(true), run(false));
});

Deno.test("an async proposer is an error saying it returned a Promise", () => {
  const space = defineSpace({ x: float(0, 1) });
  const asyncProposer = {
    name: "async-sampler",
    propose: (() => Promise.resolve([Float64Array.of(0.5)])) as unknown as Proposer["propose"],
  };
  const study = new SMBO(space, { seed: 0, proposer: asyncProposer, initialDesignSize: 1 });
  study.tell(study.ask(), 1);
  assert.throws(
    () => study.ask(),
    /proposer async-sampler returned a Promise; propose must return the points synchronously/,
  );
  assert.equal(study.trials.length, 1);
});

Deno.test("randomlyChosen and savedState are public: a custom sampler labels its random points", async () => {
  const root = await import("../../mod.ts");
  const smbo = await import("../../lib/smbo/mod.ts");
  assert.equal(root.randomlyChosen, smbo.randomlyChosen);
  assert.equal(root.savedState, smbo.savedState);
  const space = defineSpace({ x: float(0, 1) });
  const mixedSampler: Proposer = {
    name: "centre-or-random",
    propose(context, q) {
      const random = Array.from({ length: q }, (_, i) => i % 2 === 1);
      const points = random.map((r) =>
        r ? context.project(context.rng.uniforms(1)) : Float64Array.of(0.5)
      );
      smbo.randomlyChosen.set(points, random);
      return points;
    },
  };
  const study = new SMBO(space, { seed: 0, proposer: mixedSampler, initialDesignSize: 1 });
  study.tell(study.ask(), 1);
  assert.deepEqual(study.ask(3).map((t) => t.source), ["model", "random", "model"]);
  // savedState passes the wrapped proposer's state through.
  const inner = bayesOpt();
  const wrapper = { name: "w", propose: inner.propose, ...smbo.savedState(inner) };
  assert.equal(typeof wrapper.saveState, "function");
  assert.deepEqual(wrapper.saveState!(new Map()), {});
  assert.deepEqual(smbo.savedState(randomSearch()), {});
});

Deno.test("a failed ask restores plain data of every shape in memory, class instances by reference", () => {
  const space = defineSpace({ x: float(0, 1) });
  class Model {
    fits = 0;
  }
  const model = new Model();
  let fail = false;
  const proposer: Proposer = {
    name: "shapes",
    propose(context, q) {
      type State = {
        counts: Float64Array;
        seen: Set<number>;
        model: Model;
        frozen: Readonly<{ a: number }>;
        self?: unknown;
        ["__proto__"]?: unknown;
      };
      let state = context.memory.get("shapes") as State | undefined;
      if (state === undefined) {
        state = {
          counts: new Float64Array(2),
          seen: new Set([0]),
          model,
          frozen: Object.freeze({ a: 1 }),
        };
        state.self = state; // a cycle
        Object.defineProperty(state, "__proto__", { value: 7, enumerable: true, writable: true });
        context.memory.set("shapes", state);
      }
      state.counts[0] += 1;
      state.seen.add(state.seen.size);
      state.model.fits += 1;
      (state as Record<string, unknown>)["__proto__"] = 8;
      if (fail) throw new Error("failed");
      return Array.from({ length: q }, () => Float64Array.of(0.5));
    },
  };
  const study = new SMBO(space, { seed: 0, proposer, initialDesignSize: 1 });
  study.tell(study.ask(), 1);
  study.tell(study.ask(), 1); // the first proposal: counts[0] = 1, seen {0, 1}
  fail = true;
  assert.throws(() => study.ask(), /failed/);
  fail = false;
  // Read the restored memory from the next proposal's context.
  let seen: unknown;
  const original = proposer.propose;
  proposer.propose = (context, q) => {
    seen = context.memory.get("shapes");
    return original.call(proposer, context, q);
  };
  study.ask();
  const state = seen as {
    counts: Float64Array;
    seen: Set<number>;
    model: Model;
    frozen: { a: number };
    self: unknown;
  };
  // Restored to the state after the first proposal, then edited by this one.
  assert.deepEqual(Array.from(state.counts), [2, 0]);
  assert.deepEqual([...state.seen], [0, 1, 2]);
  assert.equal(state.self, state);
  assert.ok(Object.isFrozen(state.frozen));
  assert.equal(Object.getPrototypeOf(state), Object.prototype);
  assert.equal((state as Record<string, unknown>)["__proto__"], 8);
  // The class instance is the same object (by reference): its in-place edits are not undone.
  assert.equal(state.model, model);
  assert.equal(model.fits, 3);
});
