/**
 * The lines under a goroutine header: a call, then where it is.
 *   main.leakyWorker({0x566348, 0x697440}, 0x2ffeef07c0e0)
 *   \t/work/trouble/main.go:78 +0xfe
 *   sync.(*Mutex).Lock(...)                        (inlined: no offset)
 *   \t/usr/local/go/src/sync/mutex.go:46
 *   runtime.futex(0x678838, 0x80, 0x0)             (GOTRACEBACK=system/crash)
 *   \t/usr/local/go/src/runtime/sys_linux_amd64.s:569 +0x21 fp=0x7ffcb751ff90 sp=0x7ffcb751ff88 pc=0x489ce1
 *   created by main.makeTrouble in goroutine 1     (" in goroutine N" since Go 1.21)
 * and a pprof debug=1 frame: "#\t0x51969d\tmain.leakyWorker+0xfd\t/work/trouble/main.go:78".
 */

export interface CallLine {
  readonly func: string;
  readonly args: string;
}

/** "F(args)": the arguments never hold parentheses, so the call's are the last "(" and the final ")". */
export function parseCallLine(line: string): CallLine | undefined {
  if (!line.endsWith(')') || line.charCodeAt(0) <= 32) return undefined;
  const open = line.lastIndexOf('(');
  if (open <= 0) return undefined;
  return { func: line.slice(0, open), args: line.slice(open + 1, -1) };
}

export interface WhereLine {
  readonly file: string;
  readonly line: number;
  /** The frame's pc= when GOTRACEBACK=system/crash prints it; 0 otherwise. */
  readonly pc: number;
  readonly hasOffset: boolean;
}

const WHERE = /^\t(.+):(\d+)(?: \+0x[0-9a-f]+)?(?: fp=0x[0-9a-f]+ sp=0x[0-9a-f]+ pc=(0x[0-9a-f]+))?$/;

export function parseWhereLine(line: string): WhereLine | undefined {
  if (line.charCodeAt(0) !== 9) return undefined;
  const m = WHERE.exec(line);
  if (m === null) return undefined;
  return { file: m[1]!, line: Number(m[2]), pc: m[3] ? Number(m[3]) : 0, hasOffset: line.includes(' +0x') };
}

export interface CreatorLine {
  readonly func: string;
  readonly goroutine: number | undefined;
}

const CREATED = /^created by (\S+?)(?: in goroutine (\d+))?$/;

export function parseCreatorLine(line: string): CreatorLine | undefined {
  if (!line.startsWith('created by ')) return undefined;
  const m = CREATED.exec(line);
  if (m === null) return undefined;
  return { func: m[1]!, goroutine: m[2] === undefined ? undefined : Number(m[2]) };
}

export interface ProfileFrameLine {
  readonly pc: number;
  readonly func: string;
  readonly file: string;
  readonly line: number;
}

const PROFILE_FRAME = /^#\t(0x[0-9a-f]+)\t(.+?)\+0x[0-9a-f]+\t+(.+):(\d+)$/;

export function parseProfileFrameLine(line: string): ProfileFrameLine | undefined {
  const m = PROFILE_FRAME.exec(line);
  if (m === null) return undefined;
  return { pc: Number(m[1]), func: m[2]!, file: m[3]!, line: Number(m[4]) };
}

/** "5 @ 0x48132e 0x41648e …": a debug=1 record's count. */
export function parseRecordLine(line: string): number | undefined {
  const m = /^(\d+) @( 0x[0-9a-f]+)*$/.exec(line);
  return m === null ? undefined : Number(m[1]);
}
