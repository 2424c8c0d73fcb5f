/**
 * The flame-graph page in jsdom: it carries its data, draws frames from it,
 * and treats every name as text (crafted names create no elements).
 */
// @vitest-environment node
import { JSDOM } from 'jsdom';
import { describe, expect, test } from 'vitest';
import { buildFlameTree } from '../src/render/flame/tree.js';
import { renderFlameHtml } from '../src/render/flame/html.js';
import { HOSTILE_NAMES } from './helpers/crafted.js';

function page(names: string[]): string {
  const stacks = names.map((n, i) => ({ frames: ['main.main', n, `leaf${i}`], value: 1000 * (i + 1), category: i % 2 ? 'sync' : 'net' }));
  return renderFlameHtml({ title: `title ${names[0]}`, meta: [`input: ${names[0]}`], unit: 'ns', tree: buildFlameTree(stacks, 'all') });
}

async function load(html: string): Promise<JSDOM> {
  const dom = new JSDOM(html, { runScripts: 'dangerously', pretendToBeVisual: true });
  // d3-flame-graph draws through transitions; give them time to finish.
  await new Promise((r) => setTimeout(r, 700));
  return dom;
}

describe('flame graph page', () => {
  test('self-contained: no external resources, CSP by script hash', () => {
    const html = page(['main.work']);
    // (Booleans, not toMatch on the page: a failure would print 300 KB of d3.)
    expect(/<script[^>]+src=/.test(html)).toBe(false);
    expect(/<link[^>]+href=/.test(html)).toBe(false);
    expect(/<img|<iframe|<object/.test(html)).toBe(false);
    expect(/Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+' 'sha256-[^']+'; style-src 'unsafe-inline'; img-src data:">/.test(html)).toBe(true);
  });
  test('draws a frame for every node, with the data it embeds', async () => {
    const dom = await load(page(['main.work', 'main.other']));
    const doc = dom.window.document;
    const data = JSON.parse(doc.getElementById('flame-data')!.textContent!);
    expect(data.unit).toBe('ns');
    expect(doc.body.getAttribute('data-ready')).toBe('1');
    const frames = doc.querySelectorAll('g.frame');
    expect(frames.length).toBe(data.drawnNodes);
    expect(doc.getElementById('legend')!.textContent).toMatch(/net .* \(\d+\.\d+%\)/);
    dom.window.close();
  });
  test('hostile names stay text: no element, no script', async () => {
    const dom = await load(page(HOSTILE_NAMES));
    const doc = dom.window.document;
    expect(doc.querySelectorAll('img').length).toBe(0);
    expect(doc.querySelectorAll('svg svg').length).toBe(0);
    expect((dom.window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(doc.querySelectorAll('script').length).toBe(4); // data + d3 + d3-flame-graph + page
    expect(doc.getElementById('title')!.textContent).toBe(`title ${HOSTILE_NAMES[0]}`);
    expect(doc.body.getAttribute('data-ready')).toBe('1');
    const labels = [...doc.querySelectorAll('g.frame')].map((d) => d.textContent);
    for (const name of HOSTILE_NAMES) expect(labels).toContain(name);
    dom.window.close();
  });
});
