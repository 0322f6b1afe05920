import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, 'Tests: N passed, N failed, N skipped', that CI reads, and how many
 * tests ran on PostgreSQL (their names say 'postgres'): under CI=true a run with none fails, so the
 * PostgreSQL half can never vanish silently.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    let onPostgres = 0;
    for (const mod of testModules) {
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') {
          passed += 1;
          if (/\bpostgres\b/.test(test.fullName)) onPostgres += 1;
        } else if (state === 'failed') failedHere += 1;
        else skipped += 1;
      }
      // A file that failed outside any test (an import, a beforeAll hook) counts as one failure.
      failed += failedHere === 0 && mod.state() === 'failed' ? 1 : failedHere;
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\nPostgreSQL: ${onPostgres} tests ran on PostgreSQL\n`);
    if (process.env.CI === 'true' && onPostgres === 0 && passed > 0) {
      process.stdout.write('PostgreSQL: no test ran on PostgreSQL under CI=true: failing the run\n');
      process.exitCode = 1;
    }
  }
}
