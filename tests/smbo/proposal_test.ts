import assert from "node:assert/strict";
import { bayesOpt } from "../../lib/smbo/bayes_opt.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { type ProposalContext, type Proposer, randomSearch } from "../../lib/smbo/proposer.ts";
import { SMBO } from "../../lib/smbo/study.ts";
import { categorical, defineSpace, float, int } from "../../lib/space/mod.ts";
import { gpFactory } from "../../lib/gp/gp.ts";
import type { SurrogateFactory } from "../../lib/models/surrogate.ts";
import { openStorage } from "../../lib/storage/mod.ts";

const plane = defineSpace({ x: float(0, 1), y: float(0, 1) });
const bowl = (p: { x: number; y: number }) => (p.x - 0.3) ** 2 + (p.y - 0.6) ** 2;
const shown = (u: Float64Array) => Array.from(u).join(",");

Deno.test("a surrogate that rescales the points it is fitted to in place leaves the study's points as they were", () => {
  const gp = gpFactory();
  const seen: string[] = [];
  const inPlace: SurrogateFactory = {
    name: "in-place",
    fit(points, values, rng, hints) {
      seen.push(shown(points[0]));
      for (const p of points) for (let j = 0; j < p.length; j++) p[j] *= 0.5;
      return gp.fit(points, values, rng, hints);
    },
  };
  const study = new SMBO(plane, {
    seed: 0,
    initialDesignSize: 4,
    proposer: bayesOpt({ surrogate: inPlace }),
  });
  for (let i = 0; i < 7; i++) {
    const [t] = study.ask(1);
    study.tell(t, bowl(t.params));
  }
  const first = shown(plane.encode(study.trials[0].params));
  assert.equal(seen.length, 3);
  for (const s of seen) assert.equal(s, first);
});

Deno.test("a proposer that writes into the context's points, pending points and pool changes nothing of the study", () => {
  const seen: string[] = [];
  const editing: Proposer = {
    name: "editing",
    propose(ctx, q) {
      seen.push(shown(ctx.points[0]));
      ctx.points[0].fill(0);
      for (const p of ctx.pending) p.fill(0);
      return Array.from({ length: q }, () => ctx.rng.uniforms(ctx.dim));
    },
  };
  const study = new SMBO(plane, { seed: 0, initialDesignSize: 4, proposer: editing });
  for (let i = 0; i < 4; i++) study.tell(study.ask(1)[0], 1);
  const open = study.ask(1)[0];
  study.ask(2);
  study.tell(open, 2);
  study.ask(1);
  assert.equal(seen.length, 3);
  for (const s of seen) assert.equal(s, shown(plane.encode(study.trials[0].params)));
});

Deno.test("a stored study whose surrogate rescales its points in place resumes as the uninterrupted run", async () => {
  const gp = gpFactory();
  const inPlace: SurrogateFactory = {
    name: "in-place",
    // what a resumed fit starts from, as the uninterrupted run's (see SurrogateFactory)
    warmStartState: (surrogate) => gp.warmStartState!(surrogate),
    fit(points, values, rng, hints) {
      for (const p of points) for (let j = 0; j < p.length; j++) p[j] *= 0.5;
      return gp.fit(points, values, rng, hints);
    },
  };
  const storage = await openStorage("memory:");
  try {
    const options = { budget: 9, seed: 0, storage, bayesOpt: { surrogate: inPlace } };
    const key = (r: { trials: readonly { params: unknown }[] }) =>
      JSON.stringify(r.trials.map((t) => t.params));
    const full = await minimize(bowl, plane, { ...options, study: "full" });
    await minimize(bowl, plane, { ...options, study: "part", onTrial: (t) => t.id < 6 });
    const resumed = await minimize(bowl, plane, { ...options, study: "part" });
    assert.equal(key(resumed), key(full));
  } finally {
    await storage.close();
  }
});

Deno.test("pool mode: a proposer that writes into the pool it is given changes no candidate, and the candidate it returns is claimed, a configuration listed twice included", () => {
  const space = defineSpace({ a: int(0, 9) });
  const candidates = [0, 1, 2, 3, 1].map((a) => ({ a }));
  const pools: string[][] = [];
  const lastOfOne: Proposer = {
    name: "last-of-a1",
    propose(ctx, q) {
      const pool = ctx.pool!;
      pools.push(pool.map((u) => u[0].toFixed(2)));
      // the last listing of a = 1 (encoded 0.15) among the unused candidates
      let k = pool.length - 1;
      while (k > 0 && pool[k][0].toFixed(2) !== "0.15") k--;
      const chosen = [pool[k]];
      for (const u of pool) u.fill(0.99); // scratch use of the given arrays
      return chosen.slice(0, q);
    },
  };
  const study = new SMBO(space, {
    seed: 0,
    candidates,
    initialDesignSize: 1,
    poolDesign: "random",
    proposer: lastOfOne,
  });
  study.tell(study.ask(1)[0], 1);
  const second = study.ask(1)[0];
  assert.equal(second.params.a, 1);
  study.tell(second, 2);
  study.ask(1);
  const before = pools[0];
  const last = before.lastIndexOf("0.15");
  assert.deepEqual(pools[1], before.filter((_, i) => i !== last));
});

Deno.test("a proposer's point far outside the unit cube is refused naming the proposer and the coordinate; rounding is projected", async () => {
  const space = defineSpace({ x: float(-5, 10), n: int(1, 10), c: categorical(["a", "b", "c"]) });
  const outside: Proposer = {
    name: "outside",
    propose: (ctx, q) =>
      Array.from({ length: q }, () => {
        const u = new Float64Array(ctx.dim).fill(0.5);
        u[1] = 7.5;
        return u;
      }),
  };
  await assert.rejects(
    minimize((c) => c.x + c.n, space, {
      budget: 6,
      seed: 0,
      initialDesignSize: 3,
      proposer: outside,
    }),
    (error: Error) => {
      const message = (error.cause as Error).message;
      assert.match(message, /proposer outside returned point 0 with coordinate 1 = 7\.5, outside/);
      return true;
    },
  );
  const rounding: Proposer = {
    name: "rounding",
    propose: (ctx, q) =>
      Array.from(
        { length: q },
        () => Float64Array.from({ length: ctx.dim }, (_, j) => j === 0 ? 1 + 1e-12 : -1e-12),
      ),
  };
  const result = await minimize((c) => c.x + c.n, space, {
    budget: 5,
    seed: 0,
    initialDesignSize: 3,
    proposer: rounding,
  });
  assert.deepEqual(result.trials[4].params, { x: 10, n: 1, c: "a" });
});

Deno.test("a proposal context kept by its proposer and read later is the study as it was asked (memory and stored)", async () => {
  const line = defineSpace({ x: float(0, 1) });
  const storage = await openStorage("memory:");
  try {
    const { createStudy } = await import("../../lib/storage/mod.ts");
    for (const make of ["memory", "stored"] as const) {
      const kept: ProposalContext[] = [];
      const random = randomSearch();
      const keeper: Proposer = {
        name: "keeper",
        propose(context, q) {
          kept.push(context);
          return random.propose(context, q);
        },
      };
      const options = { proposer: keeper, seed: 1, initialDesignSize: 2 };
      const study = make === "memory"
        ? new SMBO(line, options)
        : await createStudy({ storage, name: "kept", space: line, ...options });
      const [a, b] = await study.ask(2);
      await study.tell(b, 20);
      await study.ask(1); // the context: b complete (20), a pending
      const context = kept.at(-1)!;
      await study.tell(a, 10); // a lower-numbered trial told after the ask
      for (let i = 0; i < 3; i++) {
        const [t] = await study.ask(1);
        await study.tell(t, 30 + i);
      }
      assert.deepEqual(Array.from(context.values), [20], make);
      assert.deepEqual(context.points.map((p) => p[0]), [line.encode(b.params)[0]], make);
      assert.deepEqual(context.pending.map((p) => p[0]), [line.encode(a.params)[0]], make);
    }
  } finally {
    await storage.close();
  }
});
