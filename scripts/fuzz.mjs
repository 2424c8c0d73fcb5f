#!/usr/bin/env node
// The mutation fuzzer (not a test; `npm run fuzz -- --seconds N`). It mutates
// the fixtures (traces of every Go version, pprof profiles gzipped and raw,
// perf script windows) and runs each mutant in-process through a reader and
// its analysis; every 8th mutant (--command-every N) also goes through a whole command (analyze
// text, --json or --markdown, flame, folded, summary, events) by the CLI's own
// main(). Outcomes:
//   ok              read (or command exit 0/1)
//   expected error  a ToolkitError (exit 2) with a one-line message
//   unexpected      any other exception, exit 3, or a message of several lines
//   hang            no answer within --hang seconds (the worker is killed)
//   over budget     the worker ran out of its heap (--heap-mb, default 256 MB:
//                   every seed is under 400 KB, so no mutant may need more)
// Unexpected, hang and over-budget inputs are saved in fuzz-out/ with their
// worker seed and index, so they can be replayed. Counts go to stdout as JSON
// every --report seconds and at the end.
//
//   npm run fuzz -- --seconds 3600 [--workers 2] [--seed 1] [--hang 10] [--heap-mb 256] [--command-every 8]
//   npm run fuzz -- --replay 3000:0-8 [--command-every 8]   (runs those inputs of worker seed 3000 again, timed)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** mulberry32: a small seeded PRNG, so a saved (seed, index) replays its input. */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seeds: every fixture, pprof also unpacked, perf captures as windows of whole samples. */
function seeds() {
  const out = [];
  const fx = join(root, 'fixtures');
  for (const f of readdirSync(join(fx, 'traces')).filter((f) => f.endsWith('.trace')).sort()) {
    out.push({ kind: 'trace', name: f, bytes: readFileSync(join(fx, 'traces', f)) });
  }
  for (const f of readdirSync(join(fx, 'pprof')).filter((f) => f.endsWith('.pb.gz')).sort()) {
    const gz = readFileSync(join(fx, 'pprof', f));
    out.push({ kind: 'pprof', name: f, bytes: gz });
    out.push({ kind: 'pprof', name: `${f} (raw)`, bytes: gunzipSync(gz) });
  }
  for (const f of readdirSync(join(fx, 'perf')).filter((f) => f.endsWith('.perf.txt')).sort()) {
    const text = readFileSync(join(fx, 'perf', f), 'latin1');
    const samples = text.split(/\n\n/);
    for (let i = 0; i < samples.length; i += 40) {
      out.push({ kind: 'perf', name: `${f} window ${i / 40}`, bytes: Buffer.from(samples.slice(i, i + 40).join('\n\n') + '\n\n', 'latin1') });
    }
  }
  return out;
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x1b, 0x09, 0x20, 0x3b, 0x60];
const LONG_VARINT = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];

/** One mutant of a seed: a few byte-level edits, or a line-level edit for perf text. */
function mutate(seed, all, rand) {
  let b = Buffer.from(seed.bytes);
  const pick = (n) => Math.floor(rand() * n);
  const edits = 1 + pick(4);
  for (let e = 0; e < edits; e++) {
    const at = pick(Math.max(1, b.length));
    switch (pick(seed.kind === 'perf' ? 10 : 8)) {
      case 0: // flip a bit
        if (b.length) b[at] ^= 1 << pick(8);
        break;
      case 1: // an interesting byte
        if (b.length) b[at] = INTERESTING[pick(INTERESTING.length)];
        break;
      case 2: // cut the end
        b = b.subarray(0, at);
        break;
      case 3: // delete a run
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + pick(64))]);
        break;
      case 4: // duplicate a run (repeats batches, samples, lines)
        {
          const len = 1 + pick(Math.min(4096, b.length - at + 1));
          const run = b.subarray(at, at + len);
          const times = 1 + pick(8);
          b = Buffer.concat([b.subarray(0, at), ...Array(times + 1).fill(run), b.subarray(at + len)]);
        }
        break;
      case 5: // a long varint (huge lengths, ids, sizes)
        b = Buffer.concat([b.subarray(0, at), Buffer.from(LONG_VARINT.slice(pick(10))), b.subarray(at + 1)]);
        break;
      case 6: // splice in a piece of another seed of the same kind
        {
          const other = all[pick(all.length)];
          const from = pick(other.bytes.length);
          b = Buffer.concat([b.subarray(0, at), other.bytes.subarray(from, from + 1 + pick(2048)), b.subarray(at)]);
        }
        break;
      case 7: // random bytes
        {
          const n = 1 + pick(16);
          const r = Buffer.alloc(n);
          for (let i = 0; i < n; i++) r[i] = pick(256);
          b = Buffer.concat([b.subarray(0, at), r, b.subarray(at + n)]);
        }
        break;
      case 8: // perf: control characters and quotes in a symbol
        b = Buffer.concat([b.subarray(0, at), Buffer.from(['\r```\r', '\x1b[31m', '\x07', '"\'', ';', '\t', '\u2028'][pick(7)]), b.subarray(at)]);
        break;
      case 9: // perf: a frame line repeated many times (deep stacks)
        {
          const nl = b.indexOf(0x0a, at);
          const next = nl < 0 ? -1 : b.indexOf(0x0a, nl + 1);
          if (next > nl + 1) b = Buffer.concat([b.subarray(0, nl + 1), ...Array(1 + pick(3000)).fill(b.subarray(nl + 1, next + 1)), b.subarray(next + 1)]);
        }
        break;
    }
  }
  // Some pprof mutants are gzipped again, so the reader's gzip path sees damaged profiles too.
  if (seed.kind === 'pprof' && rand() < 0.3) b = gzipSync(b);
  return b;
}

const COMMANDS = [
  ['analyze'],
  ['analyze', '--json'],
  ['analyze', '--markdown'],
  ['flame', '-o', '@out.html'],
  ['folded'],
  ['summary'],
  ['events'],
];

async function workerMain() {
  const { seed: wseed, start, dir, commandEvery, last: lastInput } = workerData;
  const lib = await import(join(root, 'dist', 'index.js'));
  const { main } = await import(join(root, 'dist', 'cli', 'main.js'));
  const all = seeds();
  const byKind = { trace: all.filter((s) => s.kind === 'trace'), pprof: all.filter((s) => s.kind === 'pprof'), perf: all.filter((s) => s.kind === 'perf') };
  const rand = rng(wseed);
  // Skip to where a restarted worker left off (the PRNG is consumed per input in the same way).
  const counts = { ok: 0, expected: 0, unexpected: 0 };
  const file = join(dir, `in-${wseed}`);
  const save = (b, i, why) => writeFileSync(join(dir, `unexpected-${wseed}-${i}.bin`), b) || writeFileSync(join(dir, `unexpected-${wseed}-${i}.txt`), why);
  let last = Date.now();
  for (let i = 0; ; i++) {
    const kinds = ['trace', 'pprof', 'perf'];
    const kind = kinds[i % 3];
    const seed = byKind[kind][Math.floor(rand() * byKind[kind].length)];
    const inputRand = rng(Math.floor(rand() * 2 ** 31));
    if (i < start) continue;
    if (lastInput !== undefined && i > lastInput) return;
    parentPort.postMessage({ type: 'start', i });
    const t0 = performance.now();
    const bytes = mutate(seed, byKind[kind], inputRand);
    let outcome;
    let why = '';
    if (i % commandEvery === commandEvery - 1) {
      // The whole command, through the CLI's main().
      writeFileSync(file, bytes);
      const cmd = COMMANDS[Math.floor(i / commandEvery) % COMMANDS.length].map((a) => (a === '@out.html' ? join(dir, `out-${wseed}.html`) : a));
      let stderr = '';
      const io = { stdout: { write: () => true }, stderr: { write: (s) => ((stderr += s), true) }, env: {} };
      try {
        const code = await main([...cmd, file], io);
        const errLines = stderr.split('\n').filter((l) => l.startsWith('stallscope: ') && !l.startsWith('stallscope: warning') && !l.startsWith('stallscope: wrote') && !l.startsWith('stallscope: note'));
        if (code === 0 || code === 1) outcome = 'ok';
        else if (code === 2 && errLines.length === 1 && !stderr.includes('internal error')) outcome = 'expected';
        else ((outcome = 'unexpected'), (why = `${cmd.join(' ')}: exit ${code}: ${stderr}`));
      } catch (err) {
        outcome = 'unexpected';
        why = `${cmd.join(' ')}: threw ${err?.stack ?? err}`;
      }
    } else {
      try {
        if (kind === 'trace') {
          const r = lib.openGoTrace(new lib.BufferSource(bytes));
          while (r.next() !== null);
        } else if (kind === 'pprof') {
          lib.analyzeProfile(lib.readPprof(bytes));
        } else {
          const diag = new lib.perf.PerfDiagnostics();
          for (const ev of lib.perf.readPerfScript(lib.perf.readLineBatches(new lib.BufferSource(bytes), 4096), diag)) void ev;
        }
        outcome = 'ok';
      } catch (err) {
        if (err instanceof lib.ToolkitError && !String(err.message).includes('\n')) outcome = 'expected';
        else ((outcome = 'unexpected'), (why = `${kind} reader: ${err?.stack ?? err}`));
      }
    }
    counts[outcome]++;
    if (lastInput !== undefined) parentPort.postMessage({ type: 'replayed', i, outcome, ms: Math.round(performance.now() - t0), why: why.split('\n')[0] });
    if (outcome === 'unexpected') save(bytes, i, `seed ${seed.name}\n${why}\n`);
    if ((i & 255) === 0 || Date.now() - last > 1000) {
      parentPort.postMessage({ type: 'counts', counts: { ...counts }, i });
      counts.ok = counts.expected = counts.unexpected = 0;
      last = Date.now();
    }
  }
}

/** Runs inputs of one worker seed again, in order, printing each outcome and its time. */
function replay(spec) {
  const [seed, range] = spec.split(':');
  const [from, to] = range.split('-').map(Number);
  const dir = join(root, 'fuzz-out');
  mkdirSync(dir, { recursive: true });
  const w = new Worker(new URL(import.meta.url), { workerData: { seed: Number(seed), start: from, last: to ?? from, dir, commandEvery: arg('command-every', 8) } });
  w.on('message', (m) => m.type === 'replayed' && console.log(JSON.stringify(m)));
}

function parent() {
  const seconds = arg('seconds', 60);
  const workers = arg('workers', 1);
  const baseSeed = arg('seed', 1);
  const hangS = arg('hang', 10);
  const heapMb = arg('heap-mb', 256);
  const reportS = arg('report', 60);
  const commandEvery = arg('command-every', 8);
  const dir = join(root, 'fuzz-out');
  mkdirSync(dir, { recursive: true });
  const totals = { inputs: 0, ok: 0, expected_error: 0, unexpected: 0, hang: 0, over_budget: 0 };
  const t0 = Date.now();
  const end = t0 + seconds * 1000;
  /** A worker's first input waits for its imports and seeds: a slow start (a loaded machine) is not a hang. */
  const STARTUP_MS = 120_000;
  const live = new Set();

  function start(wseed, from) {
    const w = new Worker(new URL(import.meta.url), { workerData: { seed: wseed, start: from, dir, commandEvery }, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    const st = { w, current: from, since: Date.now() + STARTUP_MS, done: false };
    live.add(st);
    w.on('message', (m) => {
      if (m.type === 'start') {
        st.current = m.i;
        st.since = Date.now();
      } else {
        totals.ok += m.counts.ok;
        totals.expected_error += m.counts.expected;
        totals.unexpected += m.counts.unexpected;
        totals.inputs += m.counts.ok + m.counts.expected + m.counts.unexpected;
      }
    });
    const restart = (kind) => {
      if (st.done) return;
      st.done = true;
      live.delete(st);
      if (kind) {
        totals[kind]++;
        totals.inputs++;
        writeFileSync(join(dir, `${kind}-${wseed}-${st.current}.txt`), `replay: worker seed ${wseed}, input ${st.current}\n`);
      }
      if (Date.now() < end) start(wseed, st.current + 1);
    };
    w.on('error', (err) => restart(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'over_budget' : 'unexpected'));
    w.on('exit', () => restart(st.killedForHang ? 'hang' : st.done ? undefined : 'unexpected'));
    st.kill = () => {
      st.killedForHang = true;
      void w.terminate();
    };
  }
  for (let k = 0; k < workers; k++) start(baseSeed * 1000 + k, 0);
  const line = () => JSON.stringify({ seconds: Math.round((Date.now() - t0) / 1000), ...totals });
  const tick = setInterval(() => {
    for (const st of live) if (Date.now() - st.since > hangS * 1000 && !st.killedForHang) st.kill();
  }, 500);
  const rep = setInterval(() => console.log(line()), reportS * 1000);
  setTimeout(async () => {
    clearInterval(tick);
    clearInterval(rep);
    for (const st of [...live]) {
      st.done = true;
      await st.w.terminate();
    }
    for (const f of readdirSync(dir)) if (f.startsWith('in-') || f.startsWith('out-')) rmSync(join(dir, f), { force: true });
    console.log(line());
  }, seconds * 1000);
}

if (isMainThread) {
  const i = process.argv.indexOf('--replay');
  if (i >= 0) replay(process.argv[i + 1]);
  else parent();
}
else await workerMain();

