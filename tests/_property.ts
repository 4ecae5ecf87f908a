/**
 * Run counts and seeds of the property-based tests. Each property has a small default run count
 * (CI stays within seconds); `METAHPO_FUZZ_RUNS=N` runs every property N times instead, and
 * `METAHPO_FUZZ_SEED=S` changes the seed (default 20261129, or the property's own), so a deep
 * run is
 *
 * ```sh
 * METAHPO_FUZZ_RUNS=500 npx -y deno@2 test --allow-all tests/data/read_property_test.ts
 * ```
 *
 * A failing run prints fast-check's seed, path and shrunk counterexample.
 *
 * @module
 */

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: the defaults
  }
}

function positiveInt(name: string): number | undefined {
  const text = env(name);
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (name.endsWith("SEED") ? -(2 ** 31) : 1)) {
    throw new TypeError(
      `${name}: must be an integer${name.endsWith("RUNS") ? " ≥ 1" : ""}, got ${text}`,
    );
  }
  return value;
}

/**
 * fast-check parameters of one property: `defaultRuns` runs from `defaultSeed` (20261129 unless
 * given), unless `METAHPO_FUZZ_RUNS` / `METAHPO_FUZZ_SEED` override them.
 */
export function propertyParams(
  defaultRuns: number,
  defaultSeed = 20261129,
): { seed: number; numRuns: number } {
  return {
    seed: positiveInt("METAHPO_FUZZ_SEED") ?? defaultSeed,
    numRuns: positiveInt("METAHPO_FUZZ_RUNS") ?? defaultRuns,
  };
}
