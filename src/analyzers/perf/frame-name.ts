/**
 * A perf frame's name in folded stacks, by stackcollapse-perf.pl's rules (as
 * inferno-collapse-perf implements them): "+0x…" offsets are already gone;
 * "[unknown]" becomes the module's base name in brackets; argument lists are
 * cut, but not Go's ".(*T)" receivers; ";" becomes ":"; Java "a->b" inlining
 * splits into frames marked "_[i]"; kernel frames get "_[k]" when asked.
 */
import type { PerfFrame } from '../../parsers/perf/types.js';

/** Kernel modules: "[kernel.kallsyms]", "[nf_conntrack]", "*.ko", "vmlinux…". */
export function isKernelModule(dso: string): boolean {
  if (dso === '[unknown]') return false;
  const base = dso.slice(dso.lastIndexOf('/') + 1);
  return dso.startsWith('[') || dso.endsWith('.ko') || /^vmlinux(-\S*)?$/.test(base);
}

/** Without a module column (-F ip,sym): x86-64 kernel addresses are the upper canonical half. */
const isKernelAddress = (ip: string): boolean => ip.length === 16 && ip.startsWith('ffff');

export function isKernelFrame(f: PerfFrame): boolean {
  return f.dso !== undefined ? isKernelModule(f.dso) : isKernelAddress(f.ip);
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

function withModuleFallback(func: string, dso: string | undefined): string {
  if (func !== '[unknown]' || dso === undefined || dso === '[unknown]') return func;
  return `[${dso.slice(dso.lastIndexOf('/') + 1)}]`;
}

/** The folded names of one frame (usually one; Java "a->b" gives several), or [] for frames the rules drop. */
export function foldedNames(f: PerfFrame, annotateKernel: boolean): string[] {
  const raw = f.sym === '' ? '[unknown]' : f.sym;
  if (raw.startsWith('(')) return []; // stackcollapse-perf skips "(…)" pseudo-frames
  return raw.split('->').map((part, i) => {
    const name = tidyGeneric(withModuleFallback(part, f.dso));
    if (i > 0) return name.includes('_[i]') ? name : `${name}_[i]`;
    return annotateKernel && f.dso !== '[unknown]' && isKernelFrame(f) ? `${name}_[k]` : name;
  });
}
