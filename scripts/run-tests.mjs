#!/usr/bin/env node
// Runs the vitest suite and ends with the plain line "N passed, N failed, N skipped",
// which CI reads (vitest's own summary is not read there). Extra args go to vitest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'stallscope-test-'));
const report = join(dir, 'results.json');
const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } },
);
let passed = 0, failed = 0, skipped = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0);
  skipped = results.numPendingTests + results.numTodoTests;
  // A test file that failed to load has no tests to count: count it as a failure.
  for (const file of results.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
      failed++;
      console.log(`FAILED to run: ${file.name}: ${(file.message ?? '').split('\n')[0]}`);
    }
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'failed') console.log(`FAILED: ${file.name.replace(process.cwd() + '/', '')} > ${t.fullName}`);
    }
  }
} catch {
  failed = Math.max(failed, 1);
}
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
