import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time even on two cores: a file spends much of its time waiting on PostgreSQL,
    // Chromium or a socket, and Vitest's default here (cores − 1) ran them one by one.
    maxWorkers: 2,
    // Each worker keeps its modules from one test file to the next (no file mocks or patches globals; each
    // makes its own database): importing the app afresh for every file was over a third of the run's time.
    isolate: false,
    env: { TZ: 'Europe/London' },
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
