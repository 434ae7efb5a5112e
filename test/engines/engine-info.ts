// Which engine the bundle runs in, and which table a new container gets there.
import { WeakValueMap } from "../../src/index.js";

interface EngineGlobals {
  Deno?: { version: { deno: string; v8: string } };
  Bun?: { version: string; revision?: string };
  process?: { version: string; versions: { node?: string; v8?: string } };
  navigator?: { userAgent: string };
}

export function engineInfo(): { engine: string; backend: string } {
  const g = globalThis as EngineGlobals;
  let engine: string;
  if (g.Deno !== undefined) engine = `Deno ${g.Deno.version.deno} (V8 ${g.Deno.version.v8})`;
  else if (g.Bun !== undefined) engine = `Bun ${g.Bun.version} (JavaScriptCore)`;
  else if (g.process?.versions?.node !== undefined) engine = `Node.js ${g.process.version} (V8 ${g.process.versions.v8})`;
  else engine = g.navigator?.userAgent ?? "unknown";
  const ua = g.navigator?.userAgent ?? "";
  const m = /(Firefox)\/([\d.]+)|(Chrome)\/([\d.]+)|Version\/([\d.]+) Safari/.exec(ua);
  if (engine === ua && m !== null) {
    if (m[1] !== undefined) engine = `Firefox ${m[2]} (SpiderMonkey)`;
    else if (m[3] !== undefined) engine = `Chromium ${m[4]} (V8)`;
    else engine = `WebKitGTK MiniBrowser, Safari ${m[5]} (JavaScriptCore)`;
  }
  return { engine, backend: new WeakValueMap().stats().backend };
}
