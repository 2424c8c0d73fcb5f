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
