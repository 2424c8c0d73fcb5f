/**
 * Beyond the fixtures: captures changed the ways real ones differ (other
 * events, comms, symbols and modules, pid/tid forms, unindented call chains,
 * empty stacks, no blank line at the end), folded by stallscope and by
 * inferno-collapse-perf with a random option set: the outputs must be equal.
 * Seeded, so a failure names a case that can be run again. The four places
 * where stallscope reads more than inferno (perf-oracle.test.ts) are not made.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { PerfFolder, type FoldOptions } from '../src/analyzers/perf/fold.js';
import { INFERNO, PERF_FIXTURES, readText } from './helpers/perf.js';

const CASES = Number(process.env.PERF_MUTATION_CASES ?? 300);
const SOURCES = ['cpu.perf.txt', 'native-cpp.perf.txt', 'native-rust.perf.txt', 'native-node.perf.txt', 'native-java.perf.txt', 'hand-java.perf.txt', 'hand-kernel-only.perf.txt', 'hand-addrs.perf.txt'];
const EVENTS = ['cycles', 'cycles:u', 'cycles:uppp', 'instructions', 'instructions:u', 'cpu-clock', 'task-clock', 'offcpu-time'];
const COMMS = ['java', 'java-worker', 'my app', 'swapper', 'kworker/0:1', 'V8 WorkerThread', 'rg', 'app'];
const SYMBOLS = [
  'main.(*T).Run', 'std::vector<int, std::allocator<int> >::push_back(int const&)', 'foo(int, char const*)', '[unknown]', '(anon)', 'a;b',
  'Lorg/example/Main;::run', 'Lorg/a/B;::x->Lorg/c/D;::y', '_$LT$std..fs..File$u20$as$u20$std..io..Read$GT$::read::h5d84059cf335c8e6',
  'core::ptr::drop_in_place$LT$u8$GT$::h0123456789abcdef', 'JS:*fib /tmp/x.js:2:13', 'int Spin.fib(int)', 'ns::(anonymous namespace)::f(int)',
  '{lambda(int)#1}::operator()(int) const', 'x_[j]', 'y_[i]', '',
];
const MODULES = ['[kernel.kallsyms]', '/tmp/perf-77.map', '/home/u/.debug/jit/j/jitted-77-3.so', '[unknown]', '/lib/modules/6.1/x.ko', '/boot/vmlinux-6.1.0', '[vdso]', '/usr/lib/libc.so.6'];
const OPTIONS: [string[], FoldOptions][] = [
  [[], {}], [['--pid'], { includePid: true }], [['--tid'], { includeTid: true }], [['--kernel'], { annotateKernel: true }], [['--jit'], { annotateJit: true }],
  [['--all'], { annotateKernel: true, annotateJit: true }], [['--addrs'], { includeAddrs: true }], [['--event-filter', 'cycles'], { event: 'cycles' }],
  [['--event-filter', 'cpu-clock'], { event: 'cpu-clock' }], [['--tid', '--all', '--addrs'], { includeTid: true, annotateKernel: true, annotateJit: true, includeAddrs: true }],
];

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One mutated capture: events are blank-line separated paragraphs, header line first. */
function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const events = text.split('\n\n').filter((e) => e.trim() !== '' && !e.startsWith('#')).slice(0, 30).map((e) => e.split('\n'));
  for (let n = 1 + Math.floor(r() * 4); n > 0; n--) {
    const ev = pick(events);
    switch (Math.floor(r() * 8)) {
      case 0: // unindented call chain
        for (let i = 1; i < ev.length; i++) ev[i] = ev[i]!.trimStart();
        break;
      case 1: // another event, with or without modifiers
        ev[0] = ev[0]!.replace(/ [\w-]+(?::\w+)?:\s*$/, ` ${pick(EVENTS)}: `);
        break;
      case 2: // another comm (never one holding a number: inferno cuts those)
        ev[0] = ev[0]!.replace(/^\s*\S.*?(?=\s+\d+(?:\/\d+)?\s)/, pick(COMMS));
        break;
      case 3: { // another symbol
        const i = 1 + Math.floor(r() * (ev.length - 1));
        if (ev[i]) ev[i] = ev[i]!.replace(/^(\s*[0-9a-f]+ ).*( \(\S+\))$/, `$1${pick(SYMBOLS)}${r() < 0.5 ? '+0x1f' : ''}$2`);
        break;
      }
      case 4: { // another module
        const i = 1 + Math.floor(r() * (ev.length - 1));
        if (ev[i]) ev[i] = ev[i]!.replace(/ \(\S+\)$/, ` (${pick(MODULES)})`);
        break;
      }
      case 5: // no frames at all
        ev.length = 1;
        break;
      case 6: // "pid/tid" for "tid", or the other way
        ev[0] = ev[0]!.includes('/') ? ev[0]!.replace(/ (\d+)\/(\d+) /, ' $2 ') : ev[0]!.replace(/ (\d+) /, ' 9$1/$1 ');
        break;
      default: // events in another order
        events.push(events.splice(Math.floor(r() * events.length), 1)[0]!);
    }
  }
  const body = events.map((e) => e.join('\n')).join('\n\n');
  return r() < 0.3 ? body : r() < 0.5 ? body + '\n' : body + '\n\n';
}

test.skipIf(!INFERNO)(`${CASES} mutated captures fold as inferno folds them`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'stallscope-perf-mut-'));
  const texts = SOURCES.map((f) => readFileSync(join(PERF_FIXTURES, f), 'utf8'));
  const failed: string[] = [];
  for (let seed = 1; seed <= CASES; seed++) {
    const r = rng(seed);
    const text = mutate(texts[Math.floor(r() * texts.length)]!, r);
    const [flags, opts] = OPTIONS[Math.floor(r() * OPTIONS.length)]!;
    const path = join(dir, `case-${seed}.txt`);
    writeFileSync(path, text);
    const want = execFileSync(INFERNO!, ['--nthreads', '1', ...flags, path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const folder = new PerfFolder(opts);
    for (const ev of readText(text).events) folder.add(ev);
    if (folder.toFolded() !== want) failed.push(`seed ${seed} (${path}, ${flags.join(' ') || 'no flags'})`);
  }
  expect(failed).toEqual([]);
});
