// Types for contenders/index.mjs (the adapters are plain JavaScript; test/bench-smoke.test.ts imports them).

export interface ContenderInfo {
  name: string;
  label: string;
  description: string;
  /** Holds values strongly: the cases delete destroyed entries explicitly. */
  strong: boolean;
  /** Its size becomes the live count after a collection (and `flush()`, where it has one). */
  exactSize: boolean;
}

export interface Adapter {
  set(key: number, value: object): void;
  get(key: number): object | undefined;
  delete(key: number): boolean;
  /** null for the floor, which has no size. */
  size(): number | null;
  flush?(): void;
  tableBytes?(): number;
}

export interface Contender {
  info: ContenderInfo;
  create(): Adapter;
  empty(): unknown;
  offHeapBytes?(): number;
}

export declare const contenders: ReadonlyArray<{ name: string; label: string; file: string }>;
export declare function loadContender(name: string): Promise<Contender>;
