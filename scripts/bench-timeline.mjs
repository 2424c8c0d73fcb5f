#!/usr/bin/env node
// Timeline benchmark (not a test): records Go traces from a busy program (as
// `npm run bench` does: about 10 MB and 100 MB), then for each: `stallscope
// timeline` (wall time, peak RSS, page size) and, in Debian's Chromium, the time
// from navigation to the first complete drawing (the page sets data-ready once
// drawn; median of 3); and `stallscope export --format chrome` (wall time, peak
// RSS: flat whatever the trace's size). Traces already in bench-out/ are reused.
//
//   npm run bench:timeline
//   npm run bench:timeline -- --seconds 2.2   # length of the big recording (the small one is 1/10)
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { measure, out, root, run } from './bench-lib.mjs';

const args = process.argv.slice(2);
const bigSeconds = Number(args[args.indexOf('--seconds') + 1] ?? 2.2) || 2.2;

run('go', ['build', '-o', join(out, 'load'), '.'], { cwd: join(root, 'bench', 'load') });
const traces = [
  ['small', bigSeconds / 10],
  ['big', bigSeconds],
].map(([name, seconds]) => {
  const file = join(out, `load-${name}.trace`);
  if (!existsSync(file)) run(join(out, 'load'), ['-trace', file, '-seconds', String(seconds)]);
  return { name, file, mb: statSync(file).size / 1e6 };
});

const bin = join(root, 'bin', 'stallscope.js');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
console.log('| trace | timeline: time, peak RSS | page size | runs (drawn whole) | first paint in Chromium | export --format chrome: time, peak RSS, size (gzipped) |');
console.log('|---|---|---|---|---|---|');
for (const t of traces) {
  const html = join(out, `timeline-${t.name}.html`);
  const tl = measure(process.execPath, [bin, 'timeline', t.file, '-o', html], { discard: true });
  const times = [];
  let status = '';
  for (let i = 0; i < 3; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const start = Date.now();
    await page.goto(`file://${html}`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
    times.push(Date.now() - start);
    if (i === 0) {
      await page.screenshot({ path: join(out, `timeline-${t.name}.png`) });
      status = await page.textContent('#status');
    }
    await page.close();
  }
  times.sort((a, b) => a - b);
  const json = join(out, `chrome-${t.name}.json.gz`);
  const ex = measure(process.execPath, [bin, 'export', '--format', 'chrome', t.file, '-o', json], { discard: true });
  console.log(
    `| ${t.name} (${t.mb.toFixed(1)} MB) | ${tl.wall.toFixed(1)} s, ${tl.rssMB.toFixed(0)} MB | ${(statSync(html).size / 1024).toFixed(0)} KiB | ${status.replace(/^.*; (\d+) runs drawn.*$/, '$1 drawn at first paint')} | ${times[1]} ms (median of 3) | ${ex.wall.toFixed(1)} s, ${ex.rssMB.toFixed(0)} MB, ${(statSync(json).size / 1e6).toFixed(1)} MB |`,
  );
}
await browser.close();
