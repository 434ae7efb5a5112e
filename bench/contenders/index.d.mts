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
  set(key: unknown, value: object): void;
  get(key: unknown): object | undefined;
  delete(key: unknown): boolean;
  /** null for the floor, which has no size. */
  size(): number | null;
  flush?(): void;
  tableBytes?(): number;
}

export type Kind = "map" | "set" | "weakmap" | "registry";

export interface Contender {
  info: ContenderInfo;
  make: Partial<Record<Kind, () => any>>;
  /** `entries`: how many entries the case keeps (weaktable+retain sizes its tier by it; the others ignore it). */
  create(options?: { entries: number }): Adapter;
  empty(): unknown;
  offHeapBytes?(): number;
  /** External contenders (CPython): whether they run here, and their command line. */
  available?(): boolean;
  command?(caseName: string, size: number, mode: string): [string, string[]];
}

export interface ContenderEntry {
  name: string;
  label: string;
  file: string;
  kinds: Kind[];
  cases?: string[];
  external?: boolean;
}

export declare const contenders: ReadonlyArray<ContenderEntry>;
export declare function loadContender(name: string): Promise<Contender>;
export declare function contendersFor(caseInfo: { name: string; kinds?: string[]; exclude?: string[]; only?: string[] }): ContenderEntry[];
