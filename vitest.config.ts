import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["properties/**/*.test.ts"],
    setupFiles: ["properties/support/fast-check-seed.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
