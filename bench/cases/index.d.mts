// Types for cases/index.mjs (the cases are plain JavaScript; test/bench-smoke.test.ts imports them).

export type Mode = "full" | "quick" | "smoke";

export interface MetricInfo {
  key: string;
  label: string;
  /** A shorter label, for the chart. */
  short?: string;
  unit: string;
  /** The contender this metric's ratios are taken against. */
  ref?: string;
  /** How repetitions combine: the median unless "min". */
  aggregate?: "min";
}

export interface CaseInfo {
  name: string;
  description: string;
  /** Container kinds the case uses (default ["map"]): contenders offering one of them take part. */
  kinds?: string[];
  /** Contenders left out, or the only ones that take part. */
  exclude?: string[];
  only?: string[];
  /** Sizes per mode; `large` is added by --large. */
  sizes: Record<Mode, number[]> & { large?: number[] };
  /** Repetitions at most, per size. */
  reps?: Record<number, number>;
  /** Child timeouts in seconds, per size (at least --timeout). */
  timeouts?: Record<number, number>;
  metrics: MetricInfo[];
}

export interface CaseResult {
  /** Per metric, this process's median (null where it does not apply to the contender). */
  metrics: Record<string, number | null>;
  samples: Record<string, number[]>;
  /** Answers that must be identical for every contender of one case and size. */
  check: Record<string, number>;
  /**
   * Whether the contender's size was right after the last collection (when it claims an exact size).
   * `expected` is the live count, plus for weaktable+retain in game the dead values its tier holds.
   */
  sizes?: { expected: number; actual: number | null; exact: boolean };
  extra?: Record<string, number>;
}

export interface BenchCase {
  info: CaseInfo;
  run(contender: unknown, options: { size: number; mode: Mode }): Promise<CaseResult>;
}

export declare const cases: ReadonlyArray<{ name: string; file: string }>;
export declare function loadCase(name: string): Promise<BenchCase>;
