/**
 * The tests Stryker runs against each mutant of spec/: every property and scenario that calls
 * spec/ in-process. Tests that spawn the built CLI (dist/) are left out: they run the unmutated
 * build, so they could not kill a mutant and would only cost time.
 * `MUTATION_TESTS=glob,glob` narrows the tests while iterating on one folder; the figures in
 * docs/testing.md say which tests each run had.
 * properties/docs.test.ts is included: the generated docs are an output of spec/'s data (profile
 * tables, orderings), so it kills mutants of data no other test reads. It needs the docs to be
 * fresh before a run (`npm run docs`): otherwise the initial test run fails, loudly.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: process.env["MUTATION_TESTS"] ? process.env["MUTATION_TESTS"].split(",") : ["properties/**/*.test.ts"],
    exclude: [
      "properties/cli/**",
      "properties/package/**",
      "properties/explore/start.test.ts",
      "properties/explore/shard-cli.test.ts",
      "properties/explore/queue-cli.test.ts",
      "properties/host/cli.test.ts",
      "properties/ring/cli.test.ts",
      "properties/ring/stream.test.ts",
      "properties/system/crash.test.ts",
      "properties/system/default-check.test.ts",
      "properties/trace/cli.test.ts",
      "properties/vectors/cli.test.ts",
      "properties/verify/examples.test.ts",
      "properties/verify/gallery.test.ts",
      "properties/verify/host.test.ts",
      "properties/verify/ring.test.ts",
      "properties/wire/cli.test.ts",
      // Counts allocations of the shared-memory fast path (src/shm): instrumented code allocates.
      "properties/ring/alloc.test.ts",
      // Reads spec/'s source text for Node APIs and globals: Stryker's instrumented sources use them.
      "properties/core/spec-purity.test.ts",
      // Reads the committed score and dist/ (not in a sandbox); it checks the report, not spec/.
      "properties/mutation-score.test.ts",
    ],
    // Mutants must meet the same inputs on every run: the fixed seed CI uses.
    setupFiles: ["properties/mutation/seed.ts"],
    testTimeout: 120_000,
  },
});
