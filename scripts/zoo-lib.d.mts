// Types of scripts/zoo-lib.mjs, for test/zoo.test.ts.
export interface Toolchain {
  readonly version: string;
  readonly go: string;
  readonly env: Record<string, string>;
  readonly line?: string;
}
export interface ZooCase {
  readonly program: string;
  readonly args: string[];
  readonly godebug?: string;
  readonly goexperiment?: Record<string, string>;
  readonly outputs?: { flag: string; suffix: string }[];
  readonly snapshots?: boolean;
  readonly says: string;
  readonly expect: unknown[];
}
export interface Recording {
  readonly trace: string;
  readonly name: string;
  readonly version: string;
  readonly snapshot: number | null;
}
export interface Judgement {
  readonly ok: boolean;
  readonly misses: string[];
  readonly said: string;
}
export const ROOT: string;
export const PROGRAMS: string;
export const ZOO: string;
export const CASES: Record<string, ZooCase>;
export const MAX_TRACE_BYTES: number;
export const TOOLCHAINS: Toolchain[];
export function run(cmd: string, args: string[], opts?: object): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }>;
export function presentToolchains(wanted?: string[], warn?: (m: string) => void): Toolchain[];
export function buildPrograms(tc: Toolchain, binDir: string, caseNames?: string[]): Promise<(name: string) => { bin?: string; error?: string }>;
export function commandLine(tc: Toolchain, name: string, base: string): string;
export function runCase(tc: Toolchain, name: string, bin: string, outDir: string, maxBytes?: number): Promise<{ traces: string[]; error?: string }>;
export function recordingsIn(dir: string): Recording[];
export function analyze(trace: string): Promise<Record<string, unknown>>;
export function describeCheck(check: unknown): string;
export function ownFrame(f: { stack?: { func: string }[] }): string | undefined;
export function judge(report: Record<string, unknown>, truth: Record<string, unknown>, checks: unknown[]): Judgement;
export function readTruth(trace: string): Record<string, unknown>;
export function judgeRecording(rec: Recording): Promise<Recording & Judgement & { expected: string }>;
