// Mutation testing of spec/ (docs/testing.md "Mutation testing"). Not part of CI: run
// `npm run mutation` (all of spec/) or `npm run mutation -- --mutate 'spec/ring/**/*.ts'`.
// Reports go to reports/mutation/<MUTATION_REPORT or "spec">/ (git-ignored), with an incremental
// file there, so a second run of the same scope re-tests only mutants whose code or tests changed.
const dir = `reports/mutation/${process.env.MUTATION_REPORT || "spec"}`;
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "properties/mutation/vitest.config.ts", related: false },
  coverageAnalysis: "perTest",
  mutate: ["spec/**/*.ts"],
  // TypeScript 7 has no JS compiler API: pointing at a file that does not exist makes Stryker
  // skip its tsconfig rewriting (vitest transpiles the sources itself).
  tsconfigFile: "properties/mutation/no-tsconfig.json",
  checkers: [],
  plugins: ["@stryker-mutator/vitest-runner", "./properties/mutation/message-text-ignorer.mjs"],
  // Message text is not part of the contract (a rule ID and the fields are): prose is not mutated.
  ignorers: ["message-text"],
  ignoreStatic: true,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: `${dir}/mutation.html` },
  jsonReporter: { fileName: `${dir}/mutation.json` },
  tempDirName: `${dir}/.stryker-tmp`,
  // Other runs' reports and sandboxes are not part of the project (several scopes can run at once).
  // "/vectors": the generated vectors at the root only (a bare "vectors" would also drop src/vectors
  // and properties/vectors from every sandbox, and with them the docs test's file list).
  ignorePatterns: ["reports", "dist", "/vectors"],
  cleanTempDir: "always",
  incremental: true,
  incrementalFile: `${dir}/incremental.json`,
  // One sandbox by default: the machines have 2 cores; raise with --concurrency.
  concurrency: 1,
  // The first run of every test takes minutes on a loaded 2-core machine.
  dryRunTimeoutMinutes: 30,
  timeoutMS: 20000,
  timeoutFactor: 2,
  thresholds: { high: 95, low: 90, break: null },
};
