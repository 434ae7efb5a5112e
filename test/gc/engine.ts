// What the engine running the real-collector tests offers: these tests also run outside Node
// (npm run test:engines: Deno, Bun, Chromium, Firefox, WebKit), where not every test can.

interface EngineGlobals {
  gc?: () => void;
  Bun?: { gc?: (force: boolean) => void };
  TestUtils?: { gc?: () => Promise<void> };
  Deno?: unknown;
  process?: { versions?: { node?: string } };
  navigator?: { userAgent?: string };
}

const g = globalThis as EngineGlobals;

/** A synchronous full collection, where the engine has one (gc(), Bun.gc(true)); else undefined. */
export function syncGc(): (() => void) | undefined {
  if (typeof g.gc === "function") return () => g.gc!();
  if (typeof g.Bun?.gc === "function") return () => g.Bun!.gc!(true);
  return undefined;
}

/** Why a test that needs a synchronous collection cannot run here. */
export const NO_SYNC_GC =
  "needs a synchronous full collection inside one job (gc() or Bun.gc(true)); this engine offers only an asynchronous one (Firefox: TestUtils.gc()) or none (WebKit: allocation pressure)";

/** Which engine this is: "node", "deno", "bun", "chromium", "firefox", "webkit" or "unknown". */
export function engineKind(): string {
  if (g.Deno !== undefined) return "deno";
  if (g.Bun !== undefined) return "bun";
  if (g.process?.versions?.node !== undefined) return "node";
  const ua = g.navigator?.userAgent ?? "";
  if (/Firefox\//.test(ua)) return "firefox";
  if (/Chrome\/|Chromium\//.test(ua)) return "chromium";
  if (/AppleWebKit\//.test(ua)) return "webkit";
  return "unknown";
}

/** A macrotask: ends the current job. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Hides every way the engine offers to collect, runs `body`, and restores them. Returns false
 * (running nothing) when a way cannot be hidden.
 */
export async function withoutCollector(body: () => Promise<void>): Promise<boolean> {
  const saved: Array<() => void> = [];
  const hide = (owner: object | undefined, key: string): boolean => {
    if (owner === undefined || !(key in owner)) return true;
    const record = owner as Record<string, unknown>;
    const before = record[key];
    try {
      record[key] = undefined;
    } catch {
      return false;
    }
    saved.push(() => (record[key] = before));
    return record[key] === undefined;
  };
  try {
    if (!hide(g, "gc") || !hide(g.Bun, "gc") || !hide(g, "TestUtils")) return false;
    await body();
    return true;
  } finally {
    for (const restore of saved.reverse()) restore();
  }
}
