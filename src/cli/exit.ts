/** The exit-code contract, in one place. */
export const Exit = {
  /** Ran; nothing passed the thresholds. */
  Ok: 0,
  /** Ran; findings passed --fail-on thresholds. */
  Findings: 1,
  /** Bad input or usage: the message says what and where. */
  BadInput: 2,
  /** A bug in stallscope. */
  Internal: 3,
} as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];

/** Thrown by a command to set the exit code after it has printed its result. */
export class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
