/**
 * A toy classification table (90 rows, 6 classes, 2 features) and its 3-way 2-shot episodes, for
 * the tests of the episode pools and of the few-shot batches built from them.
 */
import { aq } from "../../lib/deps/arquero.ts";
import { tableEpisodes } from "../../lib/data/mod.ts";

/** The toy table: features f and g, label i mod 6. */
export const toyTable = () =>
  aq.table({
    f: Array.from({ length: 90 }, (_, i) => (i * 7) % 11 + 0.1),
    g: Array.from({ length: 90 }, (_, i) => Math.sin(i)),
    label: Array.from({ length: 90 }, (_, i) => i % 6),
  });

/** Episodes of the toy table, 3-way 2-shot, classes 3–5 held out, one-hot or class-index targets. */
export const toyEpisodes = (oneHot: boolean) =>
  tableEpisodes(toyTable(), {
    name: "toy",
    target: "label",
    ways: 3,
    shots: 2,
    queries: 3,
    split: "classes",
    metaTestClasses: ["3", "4", "5"],
    oneHot,
  });
