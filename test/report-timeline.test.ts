/**
 * The report bundle's timelines: index.html draws the whole trace with the
 * findings outlined, and beside each finding with a time of its own, its
 * window; findings link to their timeline and flame graph pages, which link
 * back; report.md links the same pages.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { FIXTURES } from './helpers/go.js';
import { runCli } from './helpers/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'stallscope-report-timeline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('report bundle timelines', () => {
  test('a stuck-P trace: overview, the finding\'s own timeline, links both ways', async () => {
    const dir = join(tmp, 'bundle');
    const r = await runCli(['report', join(FIXTURES, 'traces', 'stuckloop.go1.26.trace'), '-o', dir]);
    expect(r.code, r.stderr).toBe(0);
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    const stem = 'stuckloop.go1.26.trace';
    const section = index.slice(index.indexOf(`<h2 id="${stem}">`));
    // The overview comes before the first finding, with the finding outlined in it.
    const overview = section.slice(0, section.indexOf('<div class="finding'));
    expect(overview).toMatch(/<svg [^>]*class="timeline"/);
    expect(overview).toMatch(/<rect class="f" data-finding="1" /);
    expect(overview).toContain(`href="${stem}.timeline.html"`);
    // Finding 1 (the stuck P) carries its window, and links to its timeline and CPU flame graph.
    const f1 = section.slice(section.indexOf(`<a id="${stem}-finding-1">`), section.indexOf(`<a id="${stem}-finding-2">`));
    expect(f1).toMatch(/<strong>1\. P0 stuck for /);
    expect(f1).toMatch(/<svg [^>]*class="timeline"[^>]*aria-label="finding 1: P0 stuck for /);
    expect(f1).toMatch(/<rect class="f" data-finding="1" [^>]*><title>1\. P0 stuck/);
    expect(f1).toContain(`href="${stem}.finding-1.timeline.html">timeline of this finding</a>`);
    expect(f1).toContain(`href="${stem}.cpu.html">flame graph (cpu)</a>`);
    // Finding 2 (a blocking total) has no time of its own: no timeline, a flame graph.
    const f2 = section.slice(section.indexOf(`<a id="${stem}-finding-2">`));
    expect(f2.slice(0, f2.indexOf('</div>'))).not.toContain('<svg');
    expect(f2.slice(0, f2.indexOf('</div>'))).toContain(`href="${stem}.blocking.html">flame graph (blocking)</a>`);
    // The pages link back.
    expect(readFileSync(join(dir, `${stem}.finding-1.timeline.html`), 'utf8')).toContain(`<a href="index.html#${stem}-finding-1">`);
    expect(readFileSync(join(dir, `${stem}.timeline.html`), 'utf8')).toContain(`<a href="index.html#${stem}">`);
    for (const view of ['cpu', 'blocking', 'wall']) expect(readFileSync(join(dir, `${stem}.${view}.html`), 'utf8'), view).toContain(`<a href="index.html#${stem}">`);
    // report.md links the same pages.
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain(`Timelines: [the whole trace](${stem}.timeline.html) · [finding 1](${stem}.finding-1.timeline.html)`);
    expect(existsSync(join(dir, `${stem}.finding-2.timeline.html`))).toBe(false);
  });
});
