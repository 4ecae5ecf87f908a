import assert from "node:assert/strict";
import {
  episodeSampler,
  evaluationSet,
  harmonic,
  HARMONIC_RANGES,
  LINE_RANGES,
  sampleEpisode,
  sinusoid,
  SINUSOID_RANGES,
  sinusoidOrLine,
} from "../../lib/tasks/sinusoid/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

const within = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;

Deno.test("sinusoid: parameter and input ranges, sign convention y = A·sin(x − φ)", () => {
  const rng = new Rng(1);
  let minA = Infinity, maxA = -Infinity, maxPhase = -Infinity;
  for (let i = 0; i < 2000; i++) {
    const task = sinusoid.sampleTask(rng);
    assert.ok(within(task.amplitude, SINUSOID_RANGES.amplitude));
    assert.ok(within(task.phase, SINUSOID_RANGES.phase));
    minA = Math.min(minA, task.amplitude);
    maxA = Math.max(maxA, task.amplitude);
    maxPhase = Math.max(maxPhase, task.phase);
    const ep = sampleEpisode(sinusoid, task, rng, 10, 10);
    for (const set of [ep.support, ep.query]) {
      set.x.forEach((x, j) => {
        assert.ok(within(x, SINUSOID_RANGES.input));
        assert.equal(set.y[j], task.amplitude * Math.sin(x - task.phase));
      });
    }
  }
  // The draws fill their ranges.
  assert.ok(minA < 0.2 && maxA > 4.9 && maxPhase > 3.0);
  assert.ok(Math.abs(sinusoid.value({ amplitude: 2, phase: Math.PI / 2 }, 0) - -2) < 1e-12);
});

Deno.test("harmonic: torchmeta conventions", () => {
  const rng = new Rng(2);
  let amplitudeSquares = 0;
  for (let i = 0; i < 2000; i++) {
    const t = harmonic.sampleTask(rng);
    assert.ok(within(t.centre, HARMONIC_RANGES.centre));
    assert.ok(within(t.frequency, HARMONIC_RANGES.frequency));
    t.phases.forEach((b) => assert.ok(within(b, HARMONIC_RANGES.phase)));
    amplitudeSquares += t.amplitudes[0] ** 2 + t.amplitudes[1] ** 2;
    const x = 0.3;
    const expected = t.amplitudes[0] * Math.sin(t.frequency * x + t.phases[0]) +
      t.amplitudes[1] * Math.sin(2 * t.frequency * x + t.phases[1]);
    assert.equal(harmonic.value(t, x), expected);
  }
  // a ~ N(0, 1): E[a²] = 1.
  assert.ok(Math.abs(amplitudeSquares / 4000 - 1) < 0.1);
  const t = harmonic.sampleTask(rng);
  const xs = harmonic.sampleInputs(t, rng, 4000);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(Math.abs(mean - t.centre) < 0.1, "inputs are centred on the task's μ");
  const grid = harmonic.grid(t, 7);
  assert.ok(
    Math.abs(grid[0] - (t.centre - 3)) < 1e-12 && Math.abs(grid[6] - (t.centre + 3)) < 1e-12,
  );
});

Deno.test("sinusoid-or-line: both kinds, about half each, line ranges", () => {
  const rng = new Rng(3);
  let sinusoids = 0;
  for (let i = 0; i < 2000; i++) {
    const t = sinusoidOrLine.sampleTask(rng);
    if (t.kind === "sinusoid") {
      sinusoids++;
      assert.ok(within(t.amplitude, SINUSOID_RANGES.amplitude));
      assert.equal(sinusoidOrLine.value(t, 1), t.amplitude * Math.sin(1 - t.phase));
    } else {
      assert.ok(within(t.slope, LINE_RANGES.slope) && within(t.intercept, LINE_RANGES.intercept));
      assert.equal(sinusoidOrLine.value(t, 2), 2 * t.slope + t.intercept);
    }
  }
  assert.ok(sinusoids > 900 && sinusoids < 1100, `${sinusoids} sinusoids of 2000`);
});

Deno.test("episodeSampler: deterministic for a seed, different across seeds", () => {
  const next = episodeSampler(sinusoid, { shots: 5, queryShots: 7 });
  const a = next(new Rng(9), 3);
  assert.deepEqual(a, next(new Rng(9), 3));
  assert.notDeepEqual(a, next(new Rng(10), 3));
  assert.equal(a[0].support.x.length, 5);
  assert.equal(a[0].query.x.length, 7);
});

Deno.test("evaluationSet: 600 fixed tasks, grid queries, nested supports", () => {
  const five = evaluationSet(sinusoid, { shots: 5 });
  const ten = evaluationSet(sinusoid, { shots: 10 });
  assert.equal(five.tasks.length, 600);
  assert.deepEqual(five.tasks, ten.tasks);
  assert.deepEqual(five, evaluationSet(sinusoid, { shots: 5 }));
  assert.notDeepEqual(five.tasks, evaluationSet(sinusoid, { shots: 5, seed: 1 }).tasks);
  five.episodes.forEach((e, i) => {
    assert.deepEqual(e.support.x, ten.episodes[i].support.x.slice(0, 5));
    assert.equal(e.query.x.length, 100);
  });
  const q = five.episodes[0].query.x;
  assert.equal(q[0], -5);
  assert.equal(q[99], 5);
  assert.ok(Math.abs(q[1] - q[0] - 10 / 99) < 1e-12);
  // Pinned values (recorded when the set was created): the set must not change between versions.
  assert.equal(five.tasks[0].amplitude.toFixed(6), "3.624239");
  assert.equal(five.tasks[599].phase.toFixed(6), "2.632561");
  assert.equal(five.tasks.reduce((a, t) => a + t.amplitude, 0).toFixed(6), "1525.608898");
  assert.equal(ten.episodes[0].support.x[0].toFixed(6), "-2.000017");
  // Mean amplitude near (0.1 + 5) / 2.
  assert.ok(Math.abs(1525.608898 / 600 - 2.55) < 0.15);
});

Deno.test("bad options name the field", () => {
  assert.throws(() => evaluationSet(sinusoid, { shots: 0 }), /evaluationSet\.shots/);
  assert.throws(() => evaluationSet(sinusoid, { shots: 5, tasks: 1.5 }), /evaluationSet\.tasks/);
  assert.throws(() => episodeSampler(sinusoid, { shots: -1 }), /episodeSampler\.shots/);
  // @ts-expect-error: unknown key on purpose
  assert.throws(() => episodeSampler(sinusoid, { k: 5 }), /episodeSampler/);
  assert.throws(
    () => sampleEpisode(sinusoid, { amplitude: 1, phase: 0 }, new Rng(1), 0, 5),
    /sampleEpisode\.shots/,
  );
});
