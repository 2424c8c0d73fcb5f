#!/usr/bin/env node
// Flame-graph page benchmark (not a test): for inputs of 10k, 100k and 1M
// samples over up to 100k unique stacks, build the page as `stallscope flame`
// does and time, in Debian's Chromium, from navigation to the first complete
// drawing (the page sets data-ready once the chart is drawn). Prints HTML size
// and times. Needs /usr/bin/chromium.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildFlameTree } from '../dist/render/flame/tree.js';
import { renderFlameHtml } from '../dist/render/flame/html.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'bench-out');
mkdirSync(out, { recursive: true });

/** A deterministic synthetic profile: `samples` samples over `unique` stacks of depth 8–40. */
function synthetic(samples, unique) {
  let seed = 42;
  const rnd = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const stacks = [];
  for (let i = 0; i < unique; i++) {
    const depth = 8 + Math.floor(rnd() * 32);
    const frames = [];
    for (let d = 0; d < depth; d++) frames.push(`pkg${Math.floor(rnd() * (d < 3 ? 4 : 50))}.func${Math.floor(rnd() * (d < 3 ? 3 : 40))}`);
    stacks.push({ frames, value: 0, category: ['sync', 'net', 'syscall', 'sleep'][i % 4] });
  }
  for (let s = 0; s < samples; s++) stacks[Math.floor(rnd() ** 2 * unique)].value += 1;
  return stacks.filter((s) => s.value > 0);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
console.log('| samples | unique stacks | frames in tree | drawn | HTML size | build (Node) | first paint in Chromium |');
console.log('|---|---|---|---|---|---|---|');
for (const [samples, unique] of [[10_000, 5_000], [100_000, 50_000], [1_000_000, 100_000]]) {
  const t0 = performance.now();
  const stacks = synthetic(samples, unique);
  const tree = buildFlameTree(stacks, 'all');
  const html = renderFlameHtml({ title: `synthetic ${samples}`, meta: [], unit: 'samples', tree });
  const buildMs = performance.now() - t0;
  const file = join(out, `flame-${samples}.html`);
  writeFileSync(file, html);
  const times = [];
  for (let i = 0; i < 3; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const start = Date.now();
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="1"]');
    // The drawing is complete when the last d3 transition has run (widths set).
    await page.waitForFunction(() => [...document.querySelectorAll('g.frame rect')].every((r) => r.getAttribute('width') !== null));
    times.push(Date.now() - start);
    if (i === 0) await page.screenshot({ path: join(out, `flame-${samples}.png`) });
    await page.close();
  }
  times.sort((a, b) => a - b);
  console.log(`| ${samples.toLocaleString('en-US')} | ${stacks.length.toLocaleString('en-US')} | ${tree.fullNodes.toLocaleString('en-US')} | ${tree.drawnNodes.toLocaleString('en-US')} | ${(statSync(file).size / 1024).toFixed(0)} KiB | ${buildMs.toFixed(0)} ms | ${times[1]} ms (median of 3) |`);
}
await browser.close();
