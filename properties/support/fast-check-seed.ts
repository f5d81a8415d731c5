/**
 * One seed policy for every fast-check property (docs/testing.md "Seeds"):
 * - `FC_SEED=N` runs every property with seed N (to reproduce a run);
 * - under CI (`CI` set) the seed is fixed, so a commit that was green stays green and a red run
 *   reproduces on any machine;
 * - otherwise each run draws a fresh seed, which fast-check prints with any counterexample. A
 *   property that finds a bug keeps that seed (and path) as a named regression test.
 * A property that passes its own `seed` keeps it: the global seed only fills in the default.
 */
import fc from "fast-check";

/** The seed CI runs with. Change it deliberately (and run the suite) to sample new inputs. */
export const CI_SEED = 20261205;

const fromEnv = process.env["FC_SEED"];
if (fromEnv !== undefined && fromEnv !== "") {
  const seed = Number(fromEnv);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(fromEnv)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
} else if (process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false") {
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: CI_SEED });
}
