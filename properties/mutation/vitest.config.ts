/**
 * The tests Stryker runs against each mutant of spec/: every property and scenario that calls
 * spec/ in-process. Tests that spawn the built CLI (dist/) are left out: they run the unmutated
 * build, so they could not kill a mutant and would only cost time.
 * `MUTATION_TESTS=glob,glob` narrows the tests while iterating on one folder; the figures in
 * docs/testing.md are from runs with every test.
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
      // Compares the generated docs, which list the tests naming each rule: it fails whenever a new
      // test is not yet in docs/rules.md, which says nothing about a mutant.
      "properties/docs.test.ts",
      // Counts allocations of the shared-memory fast path (src/shm): instrumented code allocates.
      "properties/ring/alloc.test.ts",
    ],
    // Mutants must meet the same inputs on every run: the fixed seed CI uses.
    setupFiles: ["properties/mutation/seed.ts"],
    testTimeout: 120_000,
  },
});
