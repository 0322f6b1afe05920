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
    const durations: Array<[string, number]> = [];
    for (const mod of testModules) {
      durations.push([mod.moduleId.replace(`${process.cwd()}/`, ''), mod.diagnostic().duration]);
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
    // The slowest files, so whoever keeps the suite under its time budget knows where the minutes go.
    const slowest = durations.sort((a, b) => b[1] - a[1]).slice(0, 12);
    process.stdout.write(`\nSlowest files:\n${slowest.map(([file, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`).join('\n')}\n`);
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\nPostgreSQL: ${onPostgres} tests ran on PostgreSQL\n`);
    if (process.env.CI === 'true' && onPostgres === 0 && passed > 0) {
      process.stdout.write('PostgreSQL: no test ran on PostgreSQL under CI=true: failing the run\n');
      process.exitCode = 1;
    }
  }
}
