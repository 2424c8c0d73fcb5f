/**
 * Goroutine dumps → events, line by line, one goroutine in memory at a time.
 * A dump starts at a preamble ("panic: …", "fatal error: …", "SIGQUIT: quit"),
 * at "goroutine profile: total N" (pprof debug=1), or at a goroutine header
 * when no dump is open or the header's id was already seen in this one (two
 * debug=2 dumps back to back). Every other line of a log is skipped and counted.
 */
import type { ByteSource } from '../../io/byte-source.js';
import type { Frame } from '../../model/stacks.js';
import { readLines } from '../perf/lines.js';
import { DumpDiagnostics } from './diagnostics.js';
import { parseCallLine, parseCreatorLine, parseProfileFrameLine, parseRecordLine, parseWhereLine, type CallLine, type CreatorLine } from './frame-line.js';
import { parseHeader, parseLabels, type Header } from './header.js';
import type { DumpEvent, DumpForm, DumpFrame, DumpGoroutine, DumpStart } from './types.js';

/** Preamble first lines, and the form of dump they open. */
const PREAMBLES: readonly (readonly [RegExp, DumpForm])[] = [
  [/^panic: /, 'panic'],
  [/^fatal error: /, 'fatal-error'],
  [/^SIG[A-Z0-9]+: /, 'signal'],
];
/** A preamble holds the message, the signal lines and a "runtime stack:" traceback: bounded all the same. */
const MAX_PREAMBLE = 200;
const PROFILE_HEAD = /^goroutine profile: total (\d+)$/;
const ELIDED = '...additional frames elided...';
const UNAVAILABLE = '\tgoroutine running on other thread; stack unavailable';

/** Every field always present: one object shape, fast to read and write line after line. */
interface OpenGoroutine {
  header: Header;
  frames: DumpFrame[];
  elided: boolean;
  createdBy: DumpGoroutine['createdBy'];
  stackUnavailable: boolean;
  line: number;
  /** A call line whose location line is still to come. */
  pendingCall: CallLine | undefined;
  pendingCreator: CreatorLine | undefined;
}

interface OpenRecord {
  count: number;
  labels: Record<string, string>;
  frames: Frame[];
  line: number;
}

/** Remembers whether the input ended with a newline: a dump cut mid-line is damage. */
class LastByte implements ByteSource {
  last = -1;
  constructor(private readonly src: ByteSource) {}
  get size(): number | undefined {
    return this.src.size;
  }
  read(into: Uint8Array, offset: number, length: number): number {
    const n = this.src.read(into, offset, length);
    if (n > 0) this.last = into[offset + n - 1]!;
    return n;
  }
  close(): void {
    this.src.close();
  }
}

/** Lines, each with whether it is the input's last and lacks its newline (cut). */
function* linesOf(src: LastByte): Generator<readonly [string, boolean]> {
  let prev: string | undefined;
  for (const line of readLines(src)) {
    if (prev !== undefined) yield [prev, false];
    prev = line;
  }
  if (prev !== undefined) yield [prev, src.last !== 10];
}

export function* readGoroutineDump(input: ByteSource, diag: DumpDiagnostics = new DumpDiagnostics()): Generator<DumpEvent> {
  const src = new LastByte(input);
  let dumps = 0;
  let dump: DumpStart | undefined;
  let seen = new Set<number>();
  let preamble: { lines: string[]; form: DumpForm; line: number } | undefined;
  let g: OpenGoroutine | undefined;
  let rec: OpenRecord | undefined;
  let n = 0;

  const open = (form: DumpForm, lines: readonly string[], line: number, declaredTotal?: number): DumpEvent => {
    dump = declaredTotal === undefined ? { index: dumps++, form, preamble: lines, line } : { index: dumps++, form, preamble: lines, line, declaredTotal };
    seen = new Set();
    return { kind: 'dump', dump };
  };
  const close = (): DumpEvent | undefined => {
    const done = g;
    g = undefined;
    if (done === undefined) return undefined;
    const h = done.header;
    if (done.pendingCall !== undefined || done.pendingCreator !== undefined) {
      diag.warn(`goroutine-dump: line ${done.line}: goroutine ${h.id} has a call without its file:line; the goroutine is left out`);
      return undefined;
    }
    const goroutine: DumpGoroutine = {
      id: h.id, state: h.state, waitMinutes: h.waitMinutes, lockedToThread: h.lockedToThread, marks: h.marks, labels: h.labels, m: h.m,
      frames: done.frames, elided: done.elided, createdBy: done.createdBy, stackUnavailable: done.stackUnavailable, line: done.line,
    };
    return { kind: 'goroutine', goroutine };
  };
  const closeRecord = (): DumpEvent | undefined => {
    const done = rec;
    rec = undefined;
    return done === undefined ? undefined : { kind: 'stack', record: done };
  };

  let cutMidLine = false;
  for (const [line, partial] of linesOf(src)) {
    n++;
    if (partial) {
      cutMidLine = true; // the last line is damage: read what came before it
      break;
    }
    if (g !== undefined) {
      if (g.pendingCall !== undefined || g.pendingCreator !== undefined) {
        const where = parseWhereLine(line);
        if (where !== undefined) {
          if (g.pendingCall !== undefined) {
            g.frames.push({ func: g.pendingCall.func, args: g.pendingCall.args, file: where.file, line: where.line, pc: where.pc, inlined: !where.hasOffset });
            g.pendingCall = undefined;
          } else {
            g.createdBy = { func: g.pendingCreator!.func, goroutine: g.pendingCreator!.goroutine, file: where.file, line: where.line };
            g.pendingCreator = undefined;
          }
          continue;
        }
      } else if (line === ELIDED) {
        g.elided = true;
        continue;
      } else if (line === UNAVAILABLE) {
        g.stackUnavailable = true;
        continue;
      } else {
        const creator = parseCreatorLine(line);
        const call = creator === undefined ? parseCallLine(line) : undefined;
        if (creator !== undefined) {
          g.pendingCreator = creator;
          continue;
        }
        if (call !== undefined) {
          g.pendingCall = call;
          continue;
        }
      }
      const ev = close(); // a blank line, or anything else, ends the goroutine
      if (ev) yield ev;
      if (line === '') continue;
    }

    const header = parseHeader(line);
    if (header !== undefined) {
      const r = closeRecord();
      if (r) yield r;
      // Goroutine 0 is each M's system stack: GOTRACEBACK=crash prints one per M.
      if (preamble !== undefined) {
        yield open(preamble.form, preamble.lines, preamble.line);
        preamble = undefined;
      } else if (dump === undefined || dump.form === 'profile' || (header.id !== 0 && seen.has(header.id))) {
        yield open('goroutines', [], n);
      }
      if (header.id !== 0) seen.add(header.id);
      g = { header, frames: [], elided: false, createdBy: undefined, stackUnavailable: false, line: n, pendingCall: undefined, pendingCreator: undefined };
      continue;
    }

    if (dump?.form === 'profile' && preamble === undefined) {
      if (rec !== undefined) {
        const frame = parseProfileFrameLine(line);
        if (frame !== undefined) {
          rec.frames.push(frame);
          continue;
        }
        if (line.startsWith('# labels: {') && line.endsWith('}')) {
          rec.labels = parseLabels(line.slice('# labels: {'.length, -1)) ?? {};
          continue;
        }
        const r = closeRecord();
        if (r) yield r;
        if (line === '') continue;
      }
      const count = parseRecordLine(line);
      if (count !== undefined) {
        rec = { count, labels: {}, frames: [], line: n };
        continue;
      }
    }

    const total = PROFILE_HEAD.exec(line);
    if (total !== null) {
      const r = closeRecord();
      if (r) yield r;
      skipPreamble();
      yield open('profile', [], n, Number(total[1]));
      continue;
    }
    const starts = PREAMBLES.find(([re]) => re.test(line));
    if (starts !== undefined && !(preamble !== undefined && line.startsWith('panic: ') && preamble.form === 'panic')) {
      skipPreamble();
      preamble = { lines: [line], form: starts[1], line: n };
      continue;
    }
    if (preamble !== undefined && preamble.lines.length < MAX_PREAMBLE) {
      preamble.lines.push(line);
      continue;
    }
    if (line.trim() !== '') diag.skip(n, line);
  }

  // The end of the input.
  if (g !== undefined) {
    if (cutMidLine) {
      diag.warn(`goroutine-dump: line ${n}: the input ends mid-line, inside goroutine ${g.header.id}; the goroutines before it are read, goroutine ${g.header.id} is left out`);
      g = undefined;
    } else if (g.frames.length === 0 && !g.stackUnavailable && g.pendingCall === undefined) {
      diag.warn(`goroutine-dump: line ${g.line}: the input ends after goroutine ${g.header.id}'s header; goroutine ${g.header.id} is left out`);
      g = undefined;
    } else {
      const ev = close();
      if (ev) yield ev;
    }
  } else if (cutMidLine && rec === undefined && dumps > 0) {
    diag.warn(`goroutine-dump: line ${n}: the input ends mid-line; that line is left out`);
  }
  if (rec !== undefined) {
    if (cutMidLine || rec.frames.length === 0) diag.warn(`goroutine-dump: line ${rec.line}: the input ends inside a stack of the profile; that stack is left out`);
    else yield { kind: 'stack', record: rec };
  }
  skipPreamble();

  function skipPreamble(): void {
    if (preamble === undefined) return;
    preamble.lines.forEach((l, i) => {
      if (l.trim() !== '') diag.skip(preamble!.line + i, l);
    });
    preamble = undefined;
  }
}
