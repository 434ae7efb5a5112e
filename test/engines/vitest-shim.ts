// A tiny stand-in for the part of Vitest's API that test/api and test/gc use, so that the same test
// files run unchanged in engines where Vitest itself cannot (Deno, Bun, Firefox, WebKit): the
// engine bundle (scripts/test-engines.mjs) resolves "vitest" to this file. It collects tests while
// the bundle's modules load, then `runCollected()` runs them in order and reports each.
//
// Only what those files use exists; anything else is a TypeError at bundle time or run time, which
// shows up as a failing test, never as a silent pass.

type Body = (context: TestContext) => unknown;
type Hook = () => unknown;

export interface TestContext {
  /** Ends the test as "not run", with the reason printed (Vitest: `context.skip(note)`). */
  skip(note?: string): never;
}

interface TestCase {
  file: string;
  name: string;
  body: Body | undefined;
  suite: Suite;
  skipNote?: string;
}

interface Suite {
  name: string;
  parent: Suite | undefined;
  beforeAll: Hook[];
  afterAll: Hook[];
  beforeEach: Hook[];
  afterEach: Hook[];
  skipNote?: string;
}

export interface Outcome {
  name: string;
  status: "passed" | "failed" | "skipped";
  detail?: string;
  ms: number;
}

const ROOT: Suite = { name: "", parent: undefined, beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] };
let current = ROOT;
let currentFile = "";

/** Names the test file whose tests are collected next (the bundle calls it before each file). */
export function setFile(file: string): void {
  currentFile = file;
}
let tests: TestCase[] = [];
const pendingSuites: Array<Promise<unknown>> = [];
const TEST_TIMEOUT_MS = 60_000;

class Skip extends Error {
  constructor(readonly note: string) {
    super(note);
  }
}

function format(name: string, args: unknown[]): string {
  let i = 0;
  let out = name.replace(/%[sdio]/g, () => String(args[i++]));
  const first = args[0];
  if (first !== null && typeof first === "object") {
    out = out.replace(/\$([A-Za-z_]\w*)/g, (whole, key: string) => (key in first ? String((first as Record<string, unknown>)[key]) : whole));
  }
  return out;
}

function suitePath(suite: Suite): string[] {
  const names: string[] = [];
  for (let s: Suite | undefined = suite; s !== undefined && s !== ROOT; s = s.parent) names.unshift(s.name);
  return names;
}

function addTest(name: string, body: Body | undefined, skipNote?: string): void {
  tests.push({ file: currentFile, name, body, suite: current, skipNote });
}

function addSuite(name: string, body: () => unknown, skipNote?: string): void {
  const suite: Suite = { name, parent: current, beforeAll: [], afterAll: [], beforeEach: [], afterEach: [], skipNote };
  const outer = current;
  current = suite;
  try {
    const result = body();
    if (result instanceof Promise) pendingSuites.push(result);
  } finally {
    current = outer;
  }
}

type ItFn = ((name: string, body?: Body, timeout?: number) => void) & {
  each: <T>(rows: readonly T[]) => (name: string, body: (...args: never[]) => unknown) => void;
  skip: (name: string, body?: Body) => void;
  skipIf: (condition: unknown) => (name: string, body?: Body) => void;
  concurrent: ItFn;
};

function makeIt(): ItFn {
  const fn = ((name: string, body?: Body) => addTest(name, body)) as ItFn;
  fn.each = (rows) => (name, body) => {
    const spread = rows.every((row) => Array.isArray(row)); // as Vitest: spread only if every row is an array
    for (const row of rows) {
      const args = spread ? (row as unknown[]) : [row];
      addTest(format(name, args), () => (body as (...a: unknown[]) => unknown)(...args));
    }
  };
  fn.skip = (name, body) => addTest(name, body, "it.skip in the test file");
  fn.skipIf = (condition) => (name, body) => addTest(name, body, condition ? "it.skipIf: condition true" : undefined);
  fn.concurrent = fn; // run one after another here
  return fn;
}

export const it = makeIt();
export const test = it;

type DescribeFn = ((name: string, body: () => unknown) => void) & {
  each: <T>(rows: readonly T[]) => (name: string, body: (...args: never[]) => unknown) => void;
  skip: (name: string, body: () => unknown) => void;
  skipIf: (condition: unknown) => (name: string, body: () => unknown) => void;
};

export const describe = ((name: string, body: () => unknown) => addSuite(name, body)) as DescribeFn;
describe.each = (rows) => (name, body) => {
  const spread = rows.every((row) => Array.isArray(row));
  for (const row of rows) {
    const args = spread ? (row as unknown[]) : [row];
    addSuite(format(name, args), () => (body as (...a: unknown[]) => unknown)(...args));
  }
};
describe.skip = (name, body) => addSuite(name, body, "describe.skip in the test file");
describe.skipIf = (condition) => (name, body) => addSuite(name, body, condition ? "describe.skipIf: condition true" : undefined);

export const beforeAll = (hook: Hook): void => void current.beforeAll.push(hook);
export const afterAll = (hook: Hook): void => void current.afterAll.push(hook);
export const beforeEach = (hook: Hook): void => void current.beforeEach.push(hook);
export const afterEach = (hook: Hook): void => void current.afterEach.push(hook);

// ---- expect -----------------------------------------------------------------------------------

function show(value: unknown, depth = 0): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol" || typeof value === "function") return String(value);
  if (value === null || typeof value !== "object") return Object.is(value, -0) ? "-0" : String(value);
  if (depth > 2) return "[...]";
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((v) => show(v, depth + 1));
    return `[${items.join(", ")}${value.length > 20 ? `, ... ${value.length - 20} more` : ""}]`;
  }
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof Map) return `Map(${value.size}) ${show([...value].slice(0, 20), depth + 1)}`;
  if (value instanceof Set) return `Set(${value.size}) ${show([...value].slice(0, 20), depth + 1)}`;
  const entries = Object.entries(value).slice(0, 20).map(([k, v]) => `${k}: ${show(v, depth + 1)}`);
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  return `${tag === "Object" ? "" : `${tag} `}{ ${entries.join(", ")} }`;
}

function equals(a: unknown, b: unknown, seen = new Map<object, object>()): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !equals(v, b.get(k), seen)) return false;
    return true;
  }
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    outer: for (const x of a) {
      if (b.has(x)) continue;
      for (const y of b) if (equals(x, y, seen)) continue outer;
      return false;
    }
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equals(a[i], b[i], seen)) return false;
    return true;
  }
  if (a instanceof Error && b instanceof Error && a.message !== b.message) return false;
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!equals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], seen)) return false;
  return true;
}

function matchesObject(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== "object" || Array.isArray(expected)) return equals(actual, expected);
  if (actual === null || typeof actual !== "object") return false;
  for (const [k, v] of Object.entries(expected)) {
    if (!matchesObject((actual as Record<string, unknown>)[k], v)) return false;
  }
  return true;
}

function thrownMatches(error: unknown, expected: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (expected === undefined) return undefined;
  if (typeof expected === "string") return message.includes(expected) ? undefined : `message ${show(message)} does not contain ${show(expected)}`;
  if (expected instanceof RegExp) return expected.test(message) ? undefined : `message ${show(message)} does not match ${expected}`;
  if (typeof expected === "function") {
    return error instanceof (expected as new () => unknown) ? undefined : `threw ${show(error)}, not a ${(expected as { name: string }).name}`;
  }
  if (expected instanceof Error) return message === expected.message ? undefined : `message ${show(message)} is not ${show(expected.message)}`;
  return `unsupported toThrow argument ${show(expected)}`;
}

class AssertionError extends Error {
  override name = "AssertionError";
}

interface Mock {
  mock: { calls: unknown[][] };
}

function isMock(value: unknown): value is Mock {
  return typeof value === "function" && "mock" in value;
}

function matchers(actual: unknown, negate: boolean, label: string | undefined) {
  const check = (pass: boolean, message: string): void => {
    if (pass === negate) throw new AssertionError(`${label ? `${label}: ` : ""}expected ${show(actual)} ${negate ? "not " : ""}${message}`);
  };
  const num = (v: unknown) => v as number;
  return {
    toBe: (expected: unknown) => check(Object.is(actual, expected), `to be ${show(expected)}`),
    toEqual: (expected: unknown) => check(equals(actual, expected), `to equal ${show(expected)}`),
    toStrictEqual: (expected: unknown) => check(equals(actual, expected), `to equal ${show(expected)}`),
    toMatchObject: (expected: unknown) => check(matchesObject(actual, expected), `to match ${show(expected)}`),
    toBeUndefined: () => check(actual === undefined, "to be undefined"),
    toBeDefined: () => check(actual !== undefined, "to be defined"),
    toBeNull: () => check(actual === null, "to be null"),
    toBeTruthy: () => check(Boolean(actual), "to be truthy"),
    toBeFalsy: () => check(!actual, "to be falsy"),
    toBeGreaterThan: (n: number) => check(num(actual) > n, `to be > ${n}`),
    toBeGreaterThanOrEqual: (n: number) => check(num(actual) >= n, `to be >= ${n}`),
    toBeLessThan: (n: number) => check(num(actual) < n, `to be < ${n}`),
    toBeLessThanOrEqual: (n: number) => check(num(actual) <= n, `to be <= ${n}`),
    toBeInstanceOf: (type: new (...a: never[]) => unknown) => check(actual instanceof type, `to be an instance of ${type.name}`),
    toContain: (item: unknown) =>
      check(
        typeof actual === "string" ? actual.includes(item as string) : [...(actual as Iterable<unknown>)].includes(item),
        `to contain ${show(item)}`,
      ),
    toMatch: (pattern: RegExp | string) =>
      check(typeof pattern === "string" ? String(actual).includes(pattern) : pattern.test(String(actual)), `to match ${pattern}`),
    toHaveLength: (n: number) => check((actual as { length: number }).length === n, `to have length ${n}`),
    toHaveBeenCalledTimes: (n: number) => check(isMock(actual) && actual.mock.calls.length === n, `to have been called ${n} times (was ${isMock(actual) ? actual.mock.calls.length : "not a mock"})`),
    toHaveBeenCalled: () => check(isMock(actual) && actual.mock.calls.length > 0, "to have been called"),
    toThrow: (expected?: unknown) => {
      if (typeof actual !== "function") throw new AssertionError("toThrow needs a function");
      let threw = false;
      let error: unknown;
      try {
        (actual as () => unknown)();
      } catch (caught) {
        threw = true;
        error = caught;
      }
      const mismatch = threw ? thrownMatches(error, expected) : "did not throw";
      check(mismatch === undefined, `to throw${expected === undefined ? "" : ` ${show(expected)}`} (${mismatch ?? "it did"})`);
    },
  };
}

type Matchers = ReturnType<typeof matchers>;
type AsyncMatchers = { [K in keyof Matchers]: (...args: Parameters<Matchers[K]>) => Promise<void> };

export function expect(actual: unknown, label?: string): Matchers & { not: Matchers; rejects: AsyncMatchers; resolves: AsyncMatchers } {
  const settled = (rejects: boolean): AsyncMatchers =>
    new Proxy({} as AsyncMatchers, {
      get: (_, key: string) =>
        async (...args: unknown[]) => {
          let value: unknown;
          try {
            value = await (actual as Promise<unknown>);
            if (rejects) throw new AssertionError(`${label ? `${label}: ` : ""}expected the promise to reject, it resolved to ${show(value)}`);
          } catch (error) {
            if (error instanceof AssertionError) throw error;
            if (!rejects) throw error;
            const m = matchers(() => {
              throw error;
            }, false, label) as Record<string, (...a: unknown[]) => void>;
            const mv = matchers(error, false, label) as Record<string, (...a: unknown[]) => void>;
            return key === "toThrow" ? m[key]!(...args) : mv[key]!(...args);
          }
          (matchers(value, false, label) as Record<string, (...a: unknown[]) => void>)[key]!(...args);
        },
    });
  return Object.assign(matchers(actual, false, label), {
    not: matchers(actual, true, label),
    rejects: settled(true),
    resolves: settled(false),
  });
}

// ---- vi ------------------------------------------------------------------------------------------

const restorers: Array<() => void> = [];

export const vi = {
  spyOn<T extends object>(object: T, method: keyof T & string) {
    const original = object[method] as unknown as (...a: unknown[]) => unknown;
    let impl: ((...a: unknown[]) => unknown) | undefined;
    const calls: unknown[][] = [];
    const spy = Object.assign(
      function (this: unknown, ...args: unknown[]) {
        calls.push(args);
        return (impl ?? original).apply(this, args);
      },
      {
        mock: { calls },
        mockImplementation(fn: (...a: unknown[]) => unknown) {
          impl = fn;
          return spy;
        },
        mockRestore() {
          object[method] = original as never;
        },
      },
    );
    object[method] = spy as never;
    restorers.push(() => (object[method] = original as never));
    return spy;
  },
  restoreAllMocks() {
    for (const restore of restorers.splice(0).reverse()) restore();
  },
};

// ---- running --------------------------------------------------------------------------------------

function withTimeout(promise: Promise<unknown>, ms: number, what: string): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function chain(suite: Suite): Suite[] {
  const suites: Suite[] = [];
  for (let s: Suite | undefined = suite; s !== undefined; s = s.parent) suites.unshift(s);
  return suites;
}

/**
 * Runs every test collected since the last call, each under its suites' hooks; `prefix` names the
 * group (a file set and backend). Reports through `onOutcome` as each finishes.
 */
export async function runCollected(prefix: string, onOutcome: (outcome: Outcome) => void): Promise<Outcome[]> {
  await Promise.all(pendingSuites.splice(0));
  const mine = tests;
  tests = [];
  const outcomes: Outcome[] = [];
  const started = new Set<Suite>();
  const failedSetup = new Map<Suite, string>();
  const lastIndex = new Map<Suite, number>();
  mine.forEach((t, i) => {
    for (const s of chain(t.suite)) lastIndex.set(s, i);
  });
  for (let i = 0; i < mine.length; i++) {
    const t = mine[i]!;
    const suites = chain(t.suite);
    const name = [prefix, t.file, ...suitePath(t.suite), t.name].filter((s) => s !== "").join(" > ");
    const t0 = performance.now();
    let outcome: Outcome;
    const skipNote = t.skipNote ?? suites.find((s) => s.skipNote !== undefined)?.skipNote;
    if (skipNote !== undefined || t.body === undefined) {
      outcome = { name, status: "skipped", detail: skipNote ?? "no test body (a todo)", ms: 0 };
    } else {
      try {
        for (const s of suites) {
          if (!started.has(s)) {
            started.add(s);
            try {
              for (const hook of s.beforeAll) await withTimeout(Promise.resolve(hook()), TEST_TIMEOUT_MS, "beforeAll");
            } catch (error) {
              failedSetup.set(s, describeError(error));
            }
          }
          const setupError = failedSetup.get(s);
          if (setupError !== undefined) throw new Error(`beforeAll failed: ${setupError}`);
        }
        for (const s of suites) for (const hook of s.beforeEach) await hook();
        try {
          const context: TestContext = {
            skip(note?: string): never {
              throw new Skip(note ?? "context.skip()");
            },
          };
          await withTimeout(Promise.resolve().then(() => t.body!(context)), TEST_TIMEOUT_MS, "test");
        } finally {
          for (const s of [...suites].reverse()) for (const hook of s.afterEach) await hook();
        }
        outcome = { name, status: "passed", ms: performance.now() - t0 };
      } catch (error) {
        // A test that cannot run on this engine throws an error named EngineUnsupported (see
        // node-stub.ts): reported as not run, with its reason, never as a pass.
        const unsupported = error instanceof Error && error.name === "EngineUnsupported";
        outcome =
          error instanceof Skip || unsupported
            ? { name, status: "skipped", detail: (error as Error).message, ms: performance.now() - t0 }
            : { name, status: "failed", detail: describeError(error), ms: performance.now() - t0 };
      }
    }
    outcomes.push(outcome);
    onOutcome(outcome);
    for (const s of [...suites].reverse()) {
      if (lastIndex.get(s) === i && started.has(s)) {
        for (const hook of s.afterAll) {
          try {
            await hook();
          } catch (error) {
            const failure: Outcome = { name: `${[prefix, t.file, ...suitePath(s)].join(" > ")} > afterAll`, status: "failed", detail: describeError(error), ms: 0 };
            outcomes.push(failure);
            onOutcome(failure);
          }
        }
      }
    }
  }
  return outcomes;
}
