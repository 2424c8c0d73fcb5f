#!/usr/bin/env node
// npm run zoo: records the pathology zoo (fixtures/programs/zoo) with every Go
// toolchain at hand, runs `stallscope analyze --json` on every recording and
// prints ONE table: case × Go version × expected verdict × stallscope's verdict.
//
//   node scripts/zoo.mjs                 record into a temp folder, judge, print the table
//   node scripts/zoo.mjs --committed     judge the committed recordings in fixtures/zoo
//   node scripts/zoo.mjs --write         record into fixtures/zoo (replacing the recordings there),
//                                        check each trace with the oracle, write fixtures/zoo/recordings.md
//   --go 1.26,1.27   only these toolchains     --case rawstall1,leak   only these cases
//   --doc docs/zoo.md   also write the table there, under a header saying how it was made
//
// Exit status 0 whatever the verdicts (the table says ok or MISS); 2 on bad
// arguments; 1 when a recording could not be made or read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  CASES, ROOT, ZOO, buildPrograms, commandLine, judgeRecording, presentToolchains, recordingsIn, runCase,
} from './zoo-lib.mjs';

const argv = process.argv.slice(2);
let mode = 'fresh';
let goList;
let caseList = Object.keys(CASES);
let doc;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--committed') mode = 'committed';
  else if (a === '--write') mode = 'write';
  else if (a === '--go') goList = argv[++i]?.split(',');
  else if (a === '--case') caseList = argv[++i]?.split(',') ?? [];
  else if (a === '--doc') doc = argv[++i];
  else {
    process.stderr.write(`zoo: unknown argument ${a} (see the top of scripts/zoo.mjs)\n`);
    process.exit(2);
  }
}
for (const c of caseList) {
  if (!CASES[c]) {
    process.stderr.write(`zoo: no case ${c} in fixtures/zoo/cases.json\n`);
    process.exit(2);
  }
}

let failed = false;
let dir = ZOO;
const provenance = [];
if (mode !== 'committed') {
  const t0 = Date.now();
  dir = mode === 'write' ? ZOO : mkdtempSync(join(tmpdir(), 'stallscope-zoo-'));
  const work = mkdtempSync(join(tmpdir(), 'stallscope-zoo-bin-'));
  if (mode === 'write') {
    for (const f of readdirSync(ZOO)) {
      const m = /^(.+?)(-snapshot)?\.go(\d+\.\d+)\./.exec(f);
      if (m && caseList.includes(m[1]) && (!goList || goList.includes(m[3]))) rmSync(join(ZOO, f));
    }
  }
  for (const tc of presentToolchains(goList)) {
    const t1 = Date.now();
    const binOf = await buildPrograms(tc, join(work, tc.version), caseList);
    for (const name of caseList) {
      const b = binOf(name);
      if (b.error) {
        process.stderr.write(`zoo: ${name} does not build with Go ${tc.version}: ${b.error} (skipped)\n`);
        continue;
      }
      // The 1 MB cap keeps committed fixtures small; a recording judged and thrown away may be any size.
      const r = await runCase(tc, name, b.bin, dir, mode === 'write' ? undefined : 64 << 20);
      if (r.error) {
        process.stderr.write(`zoo: ERROR: ${r.error}\n`);
        failed = true;
      }
      for (const t of r.traces) provenance.push({ file: basename(t), name, tc, cmd: commandLine(tc, name, basename(t).replace(/\.trace$/, '')), size: statSync(t).size, date: new Date().toISOString().slice(0, 19) + 'Z' });
    }
    process.stderr.write(`zoo: Go ${tc.version} recorded in ${((Date.now() - t1) / 1000).toFixed(1)} s\n`);
  }
  rmSync(work, { recursive: true, force: true });
  process.stderr.write(`zoo: recorded in ${((Date.now() - t0) / 1000).toFixed(1)} s into ${dir}\n`);
}

if (mode === 'write') {
  // Every committed trace must read with Go's own parser (golang.org/x/exp/trace).
  const oracle = join(ROOT, 'node_modules', '.cache', 'stallscope', 'oracle');
  mkdirSync(join(oracle, '..'), { recursive: true });
  const b = spawnSync('/usr/local/go/bin/go', ['build', '-o', oracle, '.'], {
    cwd: join(ROOT, 'test', 'oracle'), encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
  });
  if (b.status !== 0) {
    process.stderr.write(`zoo: ERROR: could not build the oracle: ${b.stderr}\n`);
    process.exit(1);
  }
  for (const p of provenance) {
    const r = spawnSync(oracle, ['count', join(ZOO, p.file)], { encoding: 'utf8' });
    if (r.status !== 0) {
      process.stderr.write(`zoo: ERROR: the oracle cannot read ${p.file}: ${r.stdout}${r.stderr}\n`);
      failed = true;
    } else p.oracle = r.stdout.trim().split(' ')[0];
  }
  // Rows of recordings made earlier (another --case or --go) and still there are kept.
  const made = new Set(provenance.map((p) => p.file));
  let kept = [];
  try {
    kept = readFileSync(join(ZOO, 'recordings.md'), 'utf8').split('\n')
      .filter((l) => /^\| `[^`]+` \|/.test(l))
      .filter((l) => { const f = /^\| `([^`]+)`/.exec(l)[1]; return !made.has(f) && existsSync(join(ZOO, f)); });
  } catch { /* first recording */ }
  const rows = [...kept, ...provenance.map((p) => `| \`${p.file}\` | ${p.name} | ${p.tc.line} | \`${p.cmd.replace(/\|/g, '\\|')}\` | ${p.date} | ${p.size} | ${p.oracle ?? 'FAILED'} |`)].sort();
  writeFileSync(join(ZOO, 'recordings.md'), [
    '# Zoo recordings (generated by fixtures/zoo/record.sh: do not edit)', '',
    `Recorded on ${process.platform}/${process.arch}, Linux ${release()}, ${cpus().length} CPUs. Every trace was read back with test/oracle (golang.org/x/exp/trace): its event count is in the last column.`, '',
    '| file | case | toolchain | command line | recorded (UTC) | bytes | oracle |', '|---|---|---|---|---|---|---|', ...rows, '',
  ].join('\n'));
}

// ---- the table ----
const recs = recordingsIn(dir).filter((r) => caseList.includes(r.name) && (!goList || goList.includes(r.version)));
const order = (r) => Object.keys(CASES).indexOf(r.name);
recs.sort((a, b) => order(a) - order(b) || Number(b.version.split('.')[1]) - Number(a.version.split('.')[1]) || (a.snapshot ?? 0) - (b.snapshot ?? 0));
const lines = ['| case | Go | expected verdict | stallscope says | |', '|---|---|---|---|---|'];
// Two analyses at a time (the machines have 2 cores); rows keep the table's order.
const judged = new Array(recs.length);
let next = 0;
await Promise.all([0, 1].map(async () => {
  while (next < recs.length) {
    const i = next++;
    try {
      judged[i] = await judgeRecording(recs[i]);
    } catch (e) {
      failed = true;
      judged[i] = { expected: '', said: `ERROR: ${e.message.split('\n')[0]}`, ok: false, misses: [] };
    }
  }
}));
let ok = 0;
recs.forEach((rec, i) => {
  const j = judged[i];
  if (j.ok) ok++;
  const name = rec.snapshot ? `${rec.name} (snapshot ${rec.snapshot})` : rec.name;
  const said = j.ok ? j.said : `${j.said}; MISS: ${j.misses.join('; ')}`;
  lines.push(`| ${name} | ${rec.version} | ${j.expected.replace(/\|/g, '\\|')} | ${said.replace(/\|/g, '\\|')} | ${j.ok ? 'ok' : 'MISS'} |`);
});
lines.push('', `${ok} of ${recs.length} recordings judged ok${mode === 'committed' ? ' (the committed recordings in fixtures/zoo)' : ''}.`);
process.stdout.write(lines.join('\n') + '\n');
if (doc) {
  const how = mode === 'committed' ? 'npm run zoo -- --committed --doc docs/zoo.md' : `npm run zoo -- --doc docs/zoo.md${argv.filter((a) => a !== '--doc' && a !== doc).map((a) => ' ' + a).join('')}`;
  writeFileSync(doc, [
    '# The pathology zoo: what stallscope says, case by case', '',
    `Generated by \`${how}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (stallscope ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}, commit ${gitHead()}): do not edit.`,
    'Each row is one recording of a zoo case (fixtures/zoo, described in fixtures/zoo/README.md) with one Go version; "expected verdict" is the case\'s checks from fixtures/zoo/cases.json',
    '(names of the run\'s own truth file stand for its values), "stallscope says" is `stallscope analyze --json` in a few words (kind/cause severity @the program\'s own frame), and MISS says what is missing.', '',
    '## The cases', '', ...caseList.map((c) => `- \`${c}\`: ${CASES[c].says}`), '',
    '## At a glance', '', ...glance(recs, judged), '',
    '## Every recording', '', ...lines, '',
  ].join('\n'));
}
process.exit(failed ? 1 : 0);

function gitHead() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

/** case × Go version, ok or MISS (snapshots counted in their case's cell). */
function glance(recs, judged) {
  const versions = [...new Set(recs.map((r) => r.version))];
  const cells = new Map();
  recs.forEach((r, i) => {
    const key = `${r.name} ${r.version}`;
    const c = cells.get(key) ?? { ok: 0, n: 0 };
    c.n++;
    if (judged[i].ok) c.ok++;
    cells.set(key, c);
  });
  const names = [...new Set(recs.map((r) => r.name))];
  return [
    `| case | ${versions.map((v) => `Go ${v}`).join(' | ')} |`,
    `|---|${versions.map(() => '---').join('|')}|`,
    ...names.map((n) => `| ${n} | ${versions.map((v) => {
      const c = cells.get(`${n} ${v}`);
      if (!c) return '';
      const word = c.ok === c.n ? 'ok' : 'MISS';
      return c.n > 1 ? `${word} (${c.ok}/${c.n} with snapshots)` : word;
    }).join(' | ')} |`),
  ];
}
