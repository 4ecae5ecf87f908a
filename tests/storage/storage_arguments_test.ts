/**
 * The built-in storages check the arguments that are cheap to check before they touch the
 * database: a study name that is no string, a study id that is no positive integer, a trial
 * number that is no integer ≥ 0, a worker id that is no non-empty string is a `TypeError` naming
 * the method and the argument, and nothing changes.
 */
import assert from "node:assert/strict";
import type { Storage } from "../../lib/storage/mod.ts";
import { storageTest, withStorage } from "./_backends.ts";

type Call = [string, (storage: Storage) => unknown, string];

const calls: Call[] = [
  ["deleteStudy", (s) => s.deleteStudy(1 as never), "deleteStudy.name: must be a string, got 1"],
  [
    "deleteStudy",
    (s) => s.deleteStudy(undefined as never),
    "deleteStudy.name: must be a string, got undefined",
  ],
  ["getStudy", (s) => s.getStudy(1 as never), "getStudy.name: must be a string, got 1"],
  [
    "studySnapshot",
    (s) => s.studySnapshot({ name: "a" } as never),
    "studySnapshot.name: must be a string, got an object",
  ],
  [
    "setMetaFeatures",
    (s) => s.setMetaFeatures("a" as never, {}),
    'setMetaFeatures.studyId: must be a study id (a positive integer), got the string "a"',
  ],
  [
    "resetProposerState",
    (s) => s.resetProposerState(0),
    "resetProposerState.studyId: must be a study id (a positive integer), got 0",
  ],
  [
    "setUserAttr",
    (s) => s.setUserAttr(undefined as never, "k", 1),
    "setUserAttr.studyId: must be a study id (a positive integer), got undefined",
  ],
  [
    "setTrialUserAttr",
    (s) => s.setTrialUserAttr(1, -1, "k", 1),
    "setTrialUserAttr.number: must be an integer ≥ 0",
  ],
  [
    "trialsSince",
    (s) => s.trialsSince(1.5, 0),
    "trialsSince.studyId: must be a study id (a positive integer), got 1.5",
  ],
  ["trialsSince", (s) => s.trialsSince(1, NaN), "trialsSince.seq"],
  [
    "addTrials",
    (s) => s.addTrials(null as never, []),
    "addTrials.studyId: must be a study id (a positive integer), got null",
  ],
  [
    "claim",
    (s) => s.claim(-1, { worker: "w", leaseMs: 1000 } as never),
    "claim.studyId: must be a study id (a positive integer), got -1",
  ],
  [
    "release",
    (s) => s.release("1" as never, "w", []),
    'release.studyId: must be a study id (a positive integer), got the string "1"',
  ],
  [
    "finish",
    (s) => s.finish(1, 0.5, "w", { status: "complete", value: 1 }),
    "finish.number: must be an integer ≥ 0",
  ],
  [
    "finish",
    (s) => s.finish(1, 0, 3 as never, { status: "complete", value: 1 }),
    "finish.worker: must be a non-empty string",
  ],
  [
    "failTrial",
    (s) => s.failTrial(Infinity, 0, "r"),
    "failTrial.studyId: must be a study id (a positive integer), got Infinity",
  ],
  [
    "heartbeat",
    (s) => s.heartbeat(1, "", undefined),
    "heartbeat.worker: must be a non-empty string",
  ],
  [
    "heartbeat",
    (s) => s.heartbeat(1, "w", NaN),
    "heartbeat.now: must be a finite number (ms since the epoch), got NaN",
  ],
];

storageTest(
  "storage methods name a bad argument and change nothing",
  (backend) =>
    withStorage(backend, async (storage) => {
      const { study } = await storage.createStudy({ name: "a", space: null, settings: {} }, [
        { params: { x: 1 }, source: "enqueued" },
      ]);
      assert.equal(study.id, 1);
      const before = await storage.studySnapshot("a");
      for (const [method, call, message] of calls) {
        let error: unknown;
        try {
          await call(storage);
        } catch (caught) {
          error = caught;
        }
        assert.ok(error instanceof TypeError, `${method}: ${String(error)}`);
        assert.ok(
          error.message.startsWith(message),
          `${method}: ${error.message} does not start with ${message}`,
        );
      }
      assert.deepEqual(await storage.studySnapshot("a"), before);
      // Names an earlier metahpo may have stored are still looked up; unknown ones are absent.
      assert.equal(await storage.getStudy(""), undefined);
      assert.equal(await storage.deleteStudy("b\u0000c"), false);
      assert.equal(await storage.deleteStudy("a"), true);
    }),
);
