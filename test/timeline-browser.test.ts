/**
 * The timeline page in a real browser (Debian's Chromium via playwright-core),
 * on the stuck-P fixture: one lane per P, the finding's mark over the stuck P,
 * hover names the goroutine, zoom changes what is drawn. Screenshots go to
 * test-output/ for people to look at.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launch } from './helpers/browser.js';
import { FIXTURES, notice, ROOT } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

if (!CHROMIUM) notice('Chromium not installed: browser tests of the timeline are skipped');
const out = join(ROOT, 'test-output');
const trace = join(FIXTURES, 'traces', 'stuckloop.go1.26.trace');

describe.skipIf(!CHROMIUM)('timeline page in Chromium', () => {
  let browser: Browser;
  const page = join(out, 'stuckloop.go1.26.timeline.html');
  let analysis: { trace: { procs: number }; findings: { title: string; p_id?: number; evidence?: { p_id: number } }[] };
  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    const r = await runCli(['timeline', trace, '-o', page]);
    expect(r.code, r.stderr).toBe(0);
    analysis = JSON.parse((await runCli(['analyze', '--json', trace])).stdout);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(): Promise<{ p: Page; errors: string[] }> {
    const p = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(`file://${page}`);
    await p.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
    return { p, errors };
  }

  test('one lane per P, the other lanes, the finding marked over its P; screenshot', async () => {
    const { p, errors } = await open();
    expect(errors).toEqual([]);
    const pLanes = await p.$$eval('g[data-lane^="P"]', (gs) => gs.map((g) => g.getAttribute('data-lane')));
    expect(pLanes).toEqual(Array.from({ length: analysis.trace.procs }, (_, i) => `P${i}`));
    for (const lane of ['Threads', 'Goroutines', 'Heap', 'GC', 'STW']) expect(await p.$(`g[data-lane="${lane}"]`), lane).not.toBeNull();
    // The stop-the-world the spinner held up is drawn.
    expect(await p.$$eval('g[data-lane="STW"] rect.stw', (rs) => rs.length)).toBeGreaterThan(0);
    const f = analysis.findings[0]!;
    const mark = p.locator('g[data-finding="1"]');
    expect(await mark.locator('title').textContent()).toBe(`1. ${f.title}`);
    const stuckP = /^P(\d+) stuck/.exec(f.title)![1];
    const markBox = (await mark.locator(`rect[data-lane="P${stuckP}"]`).boundingBox())!;
    const laneBox = (await p.locator(`g[data-lane="P${stuckP}"] rect.run`).first().boundingBox())!;
    expect(markBox.y).toBeLessThanOrEqual(laneBox.y);
    expect(markBox.y + markBox.height).toBeGreaterThanOrEqual(laneBox.y + laneBox.height);
    expect(markBox.width).toBeGreaterThan(300); // 601 ms of a 704 ms trace
    const shot = join(out, 'timeline-stuckloop.png');
    await p.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(30_000);
  });

  test('hover over a run shows its goroutine, start function, span and stack', async () => {
    const { p } = await open();
    // The widest run on P0: the spinner's hold.
    const widest = await p.$$eval('g[data-lane="P0"] rect.run', (rs) => {
      let best = 0;
      rs.forEach((r, i) => { if (Number(r.getAttribute('width')) > Number(rs[best]!.getAttribute('width'))) best = i; });
      return best;
    });
    await p.locator('g[data-lane="P0"] rect.run').nth(widest).hover({ force: true, position: { x: 200, y: 5 } });
    const tip = p.locator('#tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    const text = (await tip.textContent())!;
    expect(text).toMatch(/^goroutine 15 \(main\.spinner\) on P0$/m);
    expect(text).toMatch(/ran \d+(\.\d+)? ms into the trace → \d+(\.\d+)? ms \(\d+(\.\d+)? ms\)/);
    expect(text).toMatch(/stopped with:\n {2}\S+ \S+:\d+/);
  });

  test('zoom: the wheel narrows the window, and a narrow window draws runs the whole view folded into density', async () => {
    const { p } = await open();
    const before = await p.evaluate(() => (window as unknown as { stallscopeTimeline: { drawnRuns(): number; domain(): number[] } }).stallscopeTimeline.domain());
    // One evaluate (not $$eval, whose element handles a redraw between query and map can detach): what is drawn now.
    const drawn = (): Promise<string[]> =>
      p.evaluate(() =>
        [...document.querySelectorAll('g[data-lane^="P"] rect.run')].map((r) => `${r.parentElement!.getAttribute('data-lane')}:${r.getAttribute('data-i')}:${Number(r.getAttribute('width')) >= 1}`),
      );
    const drawnBefore = await drawn();
    expect(drawnBefore.length).toBeGreaterThan(0);
    const box = (await p.locator('g[data-lane="P1"]').boundingBox())!;
    await p.mouse.move(box.x + 200, box.y + 5);
    for (let i = 0; i < 5; i++) await p.mouse.wheel(0, -400);
    await expect.poll(async () => (await p.evaluate(() => (window as unknown as { stallscopeTimeline: { domain(): number[] } }).stallscopeTimeline.domain()))[1]).toBeLessThan(before[1]! / 2);
    // The tickers' runs (under 2 µs, every ms) early in the trace: density in the whole view, one by one here.
    await p.evaluate(() => (window as unknown as { stallscopeTimeline: { zoomTo(a: number, b: number): void } }).stallscopeTimeline.zoomTo(11.2e6, 11.4e6));
    // The redraw may come a frame later: wait until the status names the new window.
    await expect.poll(async () => await p.textContent('#status')).toMatch(/^showing 200\.0 µs from 11\.2 ms into the trace/);
    const drawnAfter = await drawn();
    expect(drawnAfter.length).toBeGreaterThanOrEqual(3);
    expect(drawnAfter.every((d) => d.endsWith(':true'))).toBe(true);
    expect(drawnAfter.filter((d) => drawnBefore.includes(d))).toEqual([]);
    expect(Number(await p.getAttribute('svg', 'data-drawn-runs'))).toBe(drawnAfter.length);
    expect(await p.textContent('#status')).toMatch(/^showing 200\.0 µs from 11\.2 ms into the trace/);
    await p.screenshot({ path: join(out, 'timeline-stuckloop-zoomed.png'), fullPage: true });
  });

  test('the bundle index draws the overview and the finding\'s timeline; screenshot', async () => {
    const dir = join(out, 'bundle-stuckloop');
    const r = await runCli(['report', trace, '-o', dir]);
    expect(r.code, r.stderr).toBe(0);
    const p = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await p.goto(`file://${join(dir, 'index.html')}`);
    const svgs = await p.$$eval('svg.timeline', (ss) => ss.map((s) => s.getBoundingClientRect().width));
    expect(svgs.length).toBe(2);
    for (const w of svgs) expect(w).toBeGreaterThan(600);
    expect(await p.$$eval('svg.timeline rect.f[data-finding="1"]', (rs) => rs.length)).toBeGreaterThanOrEqual(2);
    const shot = join(out, 'bundle-index.png');
    await p.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(30_000);
  });
});
