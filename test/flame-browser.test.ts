/**
 * The flame graph in a real browser (Debian's Chromium via playwright-core):
 * it draws, search highlights, a click zooms, a page built from hostile names
 * runs no script, and the screenshot is not blank. Screenshots are kept in
 * test-output/ for people to look at.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildFlameTree } from '../src/render/flame/tree.js';
import { renderFlameHtml } from '../src/render/flame/html.js';
import { CHROMIUM, launch } from './helpers/browser.js';
import { HOSTILE_NAMES } from './helpers/crafted.js';
import { FIXTURES, notice, ROOT } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

if (!CHROMIUM) notice('Chromium not installed: browser tests of the flame graph are skipped');
const out = join(ROOT, 'test-output');

describe.skipIf(!CHROMIUM)('flame graph in Chromium', () => {
  let browser: Browser;
  const dialogs: string[] = [];
  // Every test opens its own page of this file: none depends on what another did to its page.
  const blockingPage = join(out, 'blocking.go1.26.blocking.html');
  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    expect((await runCli(['flame', join(FIXTURES, 'traces', 'blocking.go1.26.trace'), '-o', blockingPage])).code).toBe(0);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
    await page.waitForTimeout(600); // d3 transitions
    return page;
  }

  test('a real trace: frames drawn, legend, screenshot not blank', async () => {
    const p = await open(blockingPage);
    const visible = await p.$$eval('g.frame rect', (rs) => rs.filter((r) => r.getBoundingClientRect().width >= 1).length);
    expect(visible).toBeGreaterThan(20);
    const colours = await p.$$eval('g.frame rect', (rs) => new Set(rs.map((r) => r.getAttribute('fill'))).size);
    expect(colours).toBeGreaterThan(4);
    expect(await p.textContent('#legend')).toMatch(/sync .*%/);
    const shot = join(out, 'blocking.png');
    await p.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
  });

  test('search highlights matching frames', async () => {
    const p = await open(blockingPage);
    await p.fill('#search', 'main.chanSender');
    await p.waitForTimeout(300);
    const highlighted = await p.$$eval('g.frame rect', (rs) => rs.filter((r) => r.getAttribute('fill') === '#e600e6').length);
    expect(highlighted).toBeGreaterThanOrEqual(1);
    expect(await p.textContent('#details')).toMatch(/^search: \d+ frames?, /);
    // Regex characters are just text: "(*Mutex)" is not a valid regex, and it matches sync.(*Mutex).Lock.
    await p.fill('#search', '(*Mutex)');
    await p.waitForTimeout(200);
    expect(await p.textContent('#details')).toMatch(/^search: \d+ frames?, /);
    await p.fill('#search', 'no.such.function');
    await p.waitForTimeout(200);
    expect(await p.textContent('#details')).toBe('search: no match');
  });

  test('a click zooms into a frame; reset zooms out', async () => {
    const p = await open(blockingPage);
    const frame = p.locator('g.frame[name="chan send"] rect').first();
    const before = (await frame.boundingBox())!.width;
    await frame.click({ force: true });
    await p.waitForTimeout(900);
    const after = (await frame.boundingBox())!.width;
    expect(after).toBeGreaterThan(before * 2);
    await p.screenshot({ path: join(out, 'blocking-zoomed.png') });
    await p.click('#reset');
    await p.waitForTimeout(900);
    expect((await frame.boundingBox())!.width).toBeCloseTo(before, 0);
  });

  test('a stack of 10,000 frames: the page draws its cut tree and search finds the marker', async () => {
    const frames = Array.from({ length: 10_000 }, (_, i) => `main.f${i}`);
    const file = join(out, 'deep.html');
    writeFileSync(file, renderFlameHtml({ title: 'deep', meta: [], unit: 'ns', tree: buildFlameTree([{ frames, value: 1e6, category: 'sync' }], 'all') }));
    const p = await open(file);
    expect(await p.textContent('#meta')).toContain('deeper than 1,024 frames');
    const labels = await p.$$eval('g.frame', (gs) => gs.length);
    expect(labels).toBe(1025);
    await p.fill('#search', 'deeper frames not drawn');
    await p.waitForTimeout(300);
    expect(await p.textContent('#details')).toMatch(/search: 1 frames/);
  });

  test('hostile names run no script', async () => {
    const stacks = HOSTILE_NAMES.map((n, i) => ({ frames: ['main.main', n], value: 1e6 * (i + 1), category: 'sync' }));
    const file = join(out, 'hostile.html');
    writeFileSync(file, renderFlameHtml({ title: HOSTILE_NAMES[0]!, meta: HOSTILE_NAMES, unit: 'ns', tree: buildFlameTree(stacks, 'all') }));
    const p = await open(file);
    expect(dialogs).toEqual([]);
    expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await p.$$eval('img, iframe, object', (e) => e.length)).toBe(0);
    expect(await p.title()).toBe(HOSTILE_NAMES[0]);
    const labels = await p.$$eval('g.frame', (gs) => gs.map((g) => g.textContent));
    expect(labels).toContain(HOSTILE_NAMES[0]);
    await p.screenshot({ path: join(out, 'hostile.png') });
  });
});
