/**
 * trialsToCSV takes the trials a user has at hand: a stored study's `storedTrials` (the complete
 * export), and in-memory trials (`result.trials`, `study.trials`), whose columns only a storage
 * fills are empty; anything else is a TypeError naming the element.
 */
import assert from "node:assert/strict";
import { loadStudy } from "../../lib/storage/mod.ts";
import { trialsToCSV } from "../../mod.ts";
import { minimize } from "../../lib/smbo/minimize.ts";
import { categorical, defineSpace, float } from "../../lib/space/mod.ts";

const space = defineSpace({ x: float(0, 1), c: categorical(["1", "plain"]) });
const objective = (p: { x: number; c: string }) => {
  if (p.x > 0.8) throw new Error("too far, right");
  return p.x;
};
const HEADER = "study,direction,number,status,value,error,source,seconds,worker,lost,attempts," +
  "created,started,finished,params.x,params.c,user_attrs";
/** The columns a storage alone fills (worker … finished, user_attrs), by index in HEADER. */
const STORAGE_ONLY = [8, 9, 10, 11, 12, 13, 16];

/** RFC 4180 rows of `csv` (quoted fields may hold commas and quotes). */
function rows(csv: string): string[][] {
  return csv.trim().split("\n").map((line) =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1]).slice(0, -1)
  );
}

Deno.test("trialsToCSV: in-memory trials (result.trials, study.trials) as the stored ones, storage columns empty", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const url = `sqlite:${dir}/t.db`;
    const stored = await minimize(objective, space, {
      budget: 8,
      seed: 0,
      storage: url,
      study: "s",
    });
    await stored.study.close();
    const memory = await minimize(objective, space, { budget: 8, seed: 0 });
    const study = await loadStudy({ storage: url, name: "s" });
    try {
      const complete = rows(trialsToCSV(study.storedTrials, study));
      assert.equal(complete[0].join(","), HEADER);
      // The stored study's own trials, and an in-memory run of the same seed (which gives the
      // same trials): the same cells but for the storage's (and `seconds`, a measured time).
      for (const trials of [study.trials, stored.trials, memory.trials]) {
        const csv = rows(trialsToCSV(trials, study));
        assert.equal(csv[0].join(","), HEADER);
        assert.equal(csv.length, complete.length);
        csv.slice(1).forEach((row, i) => {
          const full = complete[i + 1];
          row.forEach((cell, j) => {
            if (STORAGE_ONLY.includes(j)) assert.equal(cell, "", `${HEADER.split(",")[j]}`);
            else if (j !== 7) assert.equal(cell, full[j], `row ${i} ${HEADER.split(",")[j]}`);
          });
        });
      }
      // The export has a failed trial, with its error, and the storage's times.
      assert.ok(complete.some((r) => r[3] === "failed" && r[5] === '"Error: too far, right"'));
      assert.match(complete[1][11], /^\d{4}-\d\d-\d\dT/);
      // Without a study, the rows start at `number`.
      assert.ok(trialsToCSV(memory.trials).startsWith("number,status,value,"));
    } finally {
      await study.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("trialsToCSV: anything but trials is a TypeError naming the element", () => {
  const trial = { id: 0, status: "complete", value: 1, source: "initial", params: {} } as const;
  for (const bad of [null, 3, { id: 1 }, { params: {} }, { number: "0", params: {} }]) {
    assert.throws(() => trialsToCSV([trial, bad] as never), {
      name: "TypeError",
      message: "trialsToCSV: trials[1]: must be a trial: a stored study's storedTrials (or a " +
        "storage's trialsSince), or in-memory trials (minimize's result.trials, study.trials)",
    });
  }
  assert.throws(() => trialsToCSV({} as never), /trialsToCSV: trials: must be an array/);
});

Deno.test("trialsToCSV: a string that pandas or R would read as a number, a boolean or a missing value is JSON-quoted", () => {
  const ambiguous = [
    ...[".5", "01", "1.", "+1", "-0", "1e5", "1E+5", "-.5e-3", " 2", "2 ", "00", "0x1F"],
    ...["inf", "-Inf", "+inf", "Infinity", "-infinity", "INF", "nan", "NaN", "NAN", "-nan"],
    ...["TRUE", "True", "tRUE", "FALSE", "False", "T", "F"],
    ...["NA", "N/A", "n/a", "NULL", "None", "#N/A", "#N/A N/A", "#NA", "<NA>", "1.#IND"],
    ...["-1.#IND", "1.#QNAN", "-1.#QNAN", "-NaN", " NA"],
  ];
  const plain = ["plain", "relu", "rbf", "t", "f", "1a", "0x", "e", "e5", "Inf1", "nan-ish"];
  const unambiguous = [...plain, "trueish", "-", "+", ".", "#", "N", "1.2.3", "--1", "1_000"];
  const choices = [...ambiguous, ...unambiguous];
  const cells = choiceCells(choices);
  choices.forEach((c, i) => {
    const expected = i < ambiguous.length ? quotedCell(c) : c;
    assert.equal(cells[i], expected, JSON.stringify(c));
  });
});

/** The `params.c` cells of trials whose only parameter `c` takes each of `choices`. */
function choiceCells(choices: readonly string[]): string[] {
  const trials = choices.map((c, i) => ({
    id: i,
    status: "complete" as const,
    value: i,
    source: "initial" as const,
    params: { c },
  }));
  const [header, ...table] = rows(trialsToCSV(trials));
  return table.map((row) => row[header.indexOf("params.c")]);
}

/** A cell holding `text` JSON-quoted, as the file has it (RFC 4180 quotes around, doubled). */
const quotedCell = (text: string) => `"${JSON.stringify(text).replaceAll('"', '""')}"`;

Deno.test("trialsToCSV: what R reads as a complex or hexadecimal number, or a number with an empty exponent, is JSON-quoted", () => {
  // R 4.2's read.csv (type.convert, R_strtod) reads these as complex or numeric; pandas as text.
  const complex = ["1i", "2+3i", "-1.5e2-3i", "+1i", ".5i", "1e5i", " 1i", "1i ", "1 +3i", "1 2i"];
  const special = ["Infi", "Inf+1i", "NaNi", "-NaNi", "Infinityi", "1.5.5i", "0x1i", "1+0xp3i"];
  const hex = ["0x1p3", "0x1.8p1", "0X1P-2", "0x.8p1", "0x1.", "0x.8", "-0x1p3", "0x1p+3", "0xp3"];
  const hexEdge = ["0x1p", "0x.", "0x1.2.3", "0x1p-", " 0x1p3", "0x1p3 ", "0xi", "0x "];
  const exponent = ["1e", "1e+", "1e-", "1.e", ".5e", "1E", "-1e", " 1e", "1ei", "1e+i"];
  // Both read these as the string itself.
  const plain = ["1+i", "i", "1ii", "1j", "2+3j", "1 i", "1+ 3i", "1+2 i", "1+2I", "1e2e3i"];
  const plainEdge = ["NAi", "1+NAi", "NANi", "TRUEi", "Ti", "0xg", "0x1q3", "1p3", "0x1p3.5"];
  const plainToo = [" 0x", "-0x", "0x+", "0x-1", ".e5", "1L", "1d5", "0b101", "1_000", "yes"];
  const ambiguous = [...complex, ...special, ...hex, ...hexEdge, ...exponent];
  const unambiguous = [...plain, ...plainEdge, ...plainToo];
  const cells = choiceCells([...ambiguous, ...unambiguous]);
  [...ambiguous, ...unambiguous].forEach((c, i) => {
    assert.equal(cells[i], i < ambiguous.length ? quotedCell(c) : c, JSON.stringify(c));
  });
});

Deno.test("trialsToCSV: the study name, the error and the worker are JSON-quoted by the rule of string parameters", () => {
  const trials = [
    { number: 0, status: "failed", error: "NA", worker: "007", source: "initial" },
    { number: 1, status: "failed", error: "", worker: "TRUE", source: "initial" },
    { number: 2, status: "failed", error: "Error: bad, worse", worker: "w-1", source: "initial" },
  ].map((t, i) => ({ ...t, lost: false, attempts: 1, params: {}, createdAt: 0, seq: i + 1 }));
  for (const name of ["NaN", "007", "TRUE", "null", "1i", "plain name", '"quoted"']) {
    const [header, ...table] = rows(trialsToCSV(trials as never, { name, direction: "minimize" }));
    const column = (field: string) => table.map((row) => row[header.indexOf(field)]);
    const expectedName = name === "plain name" ? name : quotedCell(name);
    assert.deepEqual(column("study"), [expectedName, expectedName, expectedName], name);
    // A failed trial's reason "NA" is not a missing error, nor "" an absent one.
    assert.deepEqual(column("error"), [quotedCell("NA"), quotedCell(""), '"Error: bad, worse"']);
    assert.deepEqual(column("worker"), [quotedCell("007"), quotedCell("TRUE"), "w-1"]);
  }
});
