// Types for the part of lib/report.mjs that test/bench-smoke.test.ts imports.

export interface Target {
  case: string;
  size: number;
  metric: string;
  /** The contender judged (weaktable unless named). */
  subject?: string;
  /** A contender: the target is the ratio to it in the same run. */
  vs?: string;
  /** Another size of the same case: the ratio to weaktable's own value there. */
  vsSize?: number;
  max?: number;
  min?: number;
  unit?: string;
  text: string;
}

export interface Verdict extends Target {
  measured: number | null;
  pass: boolean | null;
  note: string;
}

export declare const TARGETS: Target[];
export declare const SUBJECT: string;
export declare function evaluateTargets(rows: unknown[]): Verdict[];
