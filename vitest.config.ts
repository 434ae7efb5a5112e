import { defineConfig } from "vitest/config";

// Real-GC tests need --expose-gc, which the `threads` pool rejects, so every file runs in a fork.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    execArgv: ["--expose-gc"],
    reporters: ["default", "./test/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
