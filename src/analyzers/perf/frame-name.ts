/**
 * A perf frame's names in folded stacks, by inferno-collapse-perf's rules
 * (inferno 0.12, src/collapse/perf.rs: stack_line_parts, on_stack_line,
 * with_module_fallback, tidy_generic, tidy_java), so `stallscope folded`
 * prints what inferno prints:
 *
 * - the line splits as inferno splits it: the address is the first word, the
 *   module the last word, which must be "(…)"; the function is what lies
 *   between (" " when nothing does), without a "+0x…" offset;
 * - a function starting with "(" is dropped (stackcollapse-perf's rule);
 * - partly demangled Rust symbols are repaired (rust-symbol.ts);
 * - Java "a->b->c" (perf-map-agent's unfolded inlining) gives one frame each,
 *   all but the first marked "_[i]";
 * - "[unknown]" becomes the module's base name in brackets ("[libc.so.6]"),
 *   and with addrs the address too ("[libc.so.6 <7f53…>]", "[unknown <0>]");
 * - argument lists are cut, but not Go's ".(*T)" nor "(anonymous namespace)";
 *   ";" becomes ":";
 * - in a "java…" process, a leading "L" of a class path goes ("Ljava/io/X;");
 * - kernel frames get "_[k]" and JIT frames (/tmp/perf-<pid>.map, perf
 *   inject's jitted-*.so) "_[j]" when asked; "_[i]" wins over both.
 *
 * Where inferno cannot read a line (no "(module)" column: `perf script -F`
 * without dso), the reader's own reading of it is used, and the kernel is told
 * by address: inferno drops such frames, stallscope keeps them.
 */
import type { PerfFrame } from '../../parsers/perf/types.js';
import { fixRustSymbol } from './rust-symbol.js';

export interface FrameNameOptions {
  /** Suffix kernel frames with "_[k]" (inferno --kernel). */
  readonly kernel?: boolean;
  /** Suffix JIT frames with "_[j]" (inferno --jit). */
  readonly jit?: boolean;
  /** Show the address of frames perf could not name (inferno --addrs). */
  readonly addrs?: boolean;
  /** The process is Java (its root frame starts with "java"): class paths lose their "L". */
  readonly java?: boolean;
}

interface Parts {
  readonly pc: string;
  readonly func: string;
  readonly module: string;
}

/** inferno's stack_line_parts: undefined when the last word is not "(module)". */
export function stackLineParts(line: string): Parts | undefined {
  const t = line.trim();
  const sp = t.indexOf(' ');
  if (sp < 0) return undefined;
  const rest = t.slice(sp + 1);
  const last = rest.lastIndexOf(' ');
  if (last < 0) return undefined;
  const word = rest.slice(last + 1);
  if (!word.startsWith('(') || !word.endsWith(')')) return undefined;
  const func = rest.slice(0, last).trim();
  return { pc: t.slice(0, sp), func: func === '' ? ' ' : func, module: word.slice(1, -1) };
}

/** A "+0x<hex>" offset at the end (inferno also takes "+0x" with no digits). */
function withoutOffset(func: string): string {
  const at = func.lastIndexOf('+0x');
  return at >= 0 && /^[0-9a-fA-F]*$/.test(func.slice(at + 3)) ? func.slice(0, at) : func;
}

/** Kernel modules as inferno tells them (collapse/matcher.rs is_kernel). */
export function isKernelModule(module: string): boolean {
  if (module === '[unknown]') return false;
  const vm = module.lastIndexOf('vmlinux');
  return module.startsWith('[') || module.endsWith('.ko') || (vm >= 0 && /^[A-Za-z0-9._-]*$/.test(module.slice(vm)));
}

/** Without a module column (-F ip,sym): x86-64 kernel addresses are the upper canonical half. */
export const isKernelAddress = (ip: string): boolean => ip.length === 16 && ip.startsWith('ffff');

/** JIT code: perf's map files for V8, the JVM, … and `perf inject --jit`'s jitted-<pid>-<n>.so. */
const isJitModule = (module: string): boolean =>
  (module.startsWith('/tmp/perf-') && module.endsWith('.map')) || (module.includes('/jitted-') && module.endsWith('.so'));

function withModuleFallback(func: string, module: string, pc: string, addrs: boolean): string {
  if (func !== '[unknown]') return func;
  if (module === '[unknown]' && !addrs) return func;
  const name = module === '[unknown]' ? 'unknown' : module.slice(module.lastIndexOf('/') + 1);
  return addrs ? `[${name} <${pc}>]` : `[${name}]`;
}

/** Cuts a C/C++/Rust argument list; keeps Go's "pkg.(*T).M", "(anonymous namespace)", template and generic brackets. */
export function tidyGeneric(func: string): string {
  func = func.replace(/;/g, ':');
  let depth = 0;
  let afterDot = -1;
  for (let i = 0; i < func.length; i++) {
    const c = func[i];
    if (c === '<' || c === '{' || c === '[') depth++;
    else if (c === '>' || c === '}' || c === ']' || c === ')') depth--;
    else if (c === '.') afterDot = i + 1;
    else if (c === '(') {
      if (depth === 0 && afterDot !== i && !func.startsWith('(anonymous namespace)', i)) return func.slice(0, i);
      depth++;
    }
  }
  return func;
}

/** "Lorg/mozilla/javascript/MemberBox;.<init>" → "org/mozilla/…": a JVM class descriptor's "L". */
const tidyJava = (func: string): string => (func.startsWith('L') && func.includes('/') ? func.slice(1) : func);

/** The folded names of one frame, root first (usually one; Java "a->b" gives several), or [] for frames the rules drop. */
export function frameNames(f: PerfFrame, o: FrameNameOptions = {}): string[] {
  const parts = stackLineParts(f.text);
  const pc = parts?.pc ?? f.ip;
  const module = parts?.module ?? f.dso ?? '';
  const kernel = parts !== undefined || f.dso !== undefined ? isKernelModule(module) : isKernelAddress(f.ip);
  const raw = parts ? withoutOffset(parts.func) : f.sym === '' ? '[unknown]' : f.sym;
  if (raw.startsWith('(')) return [];
  return fixRustSymbol(raw).split('->').map((part, i) => {
    let name = tidyGeneric(withModuleFallback(part, module, pc, o.addrs ?? false));
    if (o.java) name = tidyJava(name);
    if (i > 0) return name.includes('_[i]') ? name : `${name}_[i]`;
    if (o.kernel && kernel) return `${name}_[k]`;
    if (o.jit && isJitModule(module) && !name.includes('_[j]')) return `${name}_[j]`;
    return name;
  });
}

/** Whether a frame is kernel code (off-CPU reports fold the kernel part of a stack). */
export function isKernelFrame(f: PerfFrame): boolean {
  const parts = stackLineParts(f.text);
  if (parts) return isKernelModule(parts.module);
  return f.dso !== undefined ? isKernelModule(f.dso) : isKernelAddress(f.ip);
}

/**
 * frameNames remembered per frame: the reader shares one frame object per
 * distinct line, so a capture of millions of samples names each line once.
 * Java processes apart (their names lose the class "L").
 */
export class FrameNameCache {
  private readonly plain = new Map<PerfFrame, readonly string[]>();
  private readonly java = new Map<PerfFrame, readonly string[]>();

  constructor(private readonly opts: Omit<FrameNameOptions, 'java'> = {}) {}

  get(f: PerfFrame, java: boolean): readonly string[] {
    const cache = java ? this.java : this.plain;
    let names = cache.get(f);
    if (names === undefined) cache.set(f, (names = frameNames(f, { ...this.opts, java })));
    return names;
  }
}

/** stackcollapse-perf tidies Java names in processes whose root frame starts with "java". */
export const isJavaComm = (comm: string): boolean => comm.startsWith('java');
