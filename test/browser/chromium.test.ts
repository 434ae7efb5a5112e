// The package in a real browser: Debian's Chromium (/usr/bin/chromium), driven by playwright-core,
// loads an esbuild bundle of `weaktable` and `weaktable/testing` (resolved through the package's
// exports, from dist/) from a page served on 127.0.0.1, with gc() exposed (--js-flags=--expose-gc),
// and checks the containers there, collection included. A second page forbids WebAssembly with a
// Content-Security-Policy (no 'wasm-unsafe-eval') and must get the same results on the JS table.
//
// Skips only when /usr/bin/chromium is missing (install it with `apt-get install chromium`);
// `.ci/run` installs it and sets WEAKTABLE_REQUIRE_BROWSER=1, which turns the skip into a failure.

import { build } from "esbuild";
import { existsSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, assertBuilt, cleanup, projectLinkingRepo, tempDir } from "../package/built.js";

const CHROMIUM = "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const REQUIRED = process.env.WEAKTABLE_REQUIRE_BROWSER === "1";
if (!HAVE_CHROMIUM) console.log(`test/browser: skipped: ${CHROMIUM} is missing (apt-get install chromium; CI installs it)`);

/** The flags Chromium needs on these machines (closed network, root, no GPU). */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--js-flags=--expose-gc",
];


/** The page's script: the whole package on globalThis, and what the page saw when it loaded. */
const ENTRY = `
import * as weaktable from "weaktable";
import { collect } from "weaktable/testing";
let wasmCompiles;
try {
  new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  wasmCompiles = true;
} catch (error) {
  wasmCompiles = String(error);
}
globalThis.weaktable = weaktable;
globalThis.collect = collect;
globalThis.loaded = { wasmCompiles, backend: new weaktable.WeakValueMap().stats().backend };
`;

const HTML = `<!doctype html><meta charset="utf-8"><title>weaktable</title><script type="module" src="/bundle.js"></script>`;
/** No 'wasm-unsafe-eval': the page may run its own scripts but not compile WebAssembly. */
const CSP = "default-src 'none'; script-src 'self'";

let server: Server | undefined;
let context: BrowserContext | undefined;
let origin = "";
const pageErrors: string[] = [];

it("has Chromium to run in, unless allowed to skip (WEAKTABLE_REQUIRE_BROWSER is not 1)", () => {
  expect(HAVE_CHROMIUM || !REQUIRED, `${CHROMIUM} is missing: install it (apt-get install chromium)`).toBe(true);
});

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  assertBuilt();
  const dir = projectLinkingRepo("browser");
  writeFileSync(join(dir, "entry.mjs"), ENTRY);
  const result = await build({
    absWorkingDir: dir,
    entryPoints: ["entry.mjs"],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const bundle = result.outputFiles[0]!.text;

  server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path === "/bundle.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(bundle);
    } else if (path === "/" || path === "/csp.html") {
      const headers: Record<string, string> = { "content-type": "text/html; charset=utf-8" };
      if (path === "/csp.html") headers["content-security-policy"] = CSP;
      response.writeHead(200, headers).end(HTML);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  context = await chromium.launchPersistentContext(tempDir("chromium-profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  cleanup();
});

/** Opens a page and waits for the bundle to have loaded. */
async function open(path: string): Promise<Page> {
  const page = await context!.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${path}: ${error.message}`));
  await page.goto(origin + path);
  await page.waitForFunction(() => "loaded" in globalThis, undefined, { timeout: 30_000 });
  return page;
}

// What the page runs. Functions are serialized into the page, so each uses only globalThis there;
// garbage is made inside inner functions so that no frame of the async body keeps it alive.
/* eslint-disable @typescript-eslint/no-explicit-any */

async function weakValueMapInPage(): Promise<unknown> {
  const { WeakValueMap } = (globalThis as any).weaktable;
  const collect = (globalThis as any).collect;
  const cache = new WeakValueMap();
  const kept = [{ k: 0 }, { k: 1 }, { k: 2 }];
  cache.set("a", kept[0]).set(-0, kept[1]).set(NaN, kept[2]);
  (() => {
    for (let i = 1; i <= 500; i++) cache.set(i, { i });
  })();
  const before = cache.size;
  await collect(() => cache.size === 3);
  return {
    before,
    after: cache.size,
    keys: [...cache.keys()].map(String),
    same: cache.get("a") === kept[0] && cache.get(0) === kept[1] && cache.get(NaN) === kept[2],
    stats: cache.stats(),
  };
}

async function iterableWeakSetInPage(): Promise<unknown> {
  const { IterableWeakSet } = (globalThis as any).weaktable;
  const collect = (globalThis as any).collect;
  if (typeof IterableWeakSet !== "function") return { exported: false };
  const set = new IterableWeakSet();
  const kept = [{ k: 0 }, { k: 1 }];
  set.add(kept[0]);
  (() => {
    for (let i = 0; i < 300; i++) set.add({ i });
  })();
  set.add(kept[1]);
  const before = set.size;
  await collect(() => set.size === 2);
  const order = [...set];
  return {
    exported: true,
    before,
    after: set.size,
    inOrder: order.length === 2 && order[0] === kept[0] && order[1] === kept[1],
    backend: set.stats().backend,
  };
}

async function idRegistryInPage(): Promise<unknown> {
  const { IdRegistry, id, id2obj } = (globalThis as any).weaktable;
  const collect = (globalThis as any).collect;
  const registry = new IdRegistry();
  const kept = { kept: true };
  const keptId = registry.remember(kept);
  const goneIds = (() => {
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) ids.push(registry.remember({ i }));
    return ids;
  })();
  const defaultId = (() => id({ transient: true }))();
  await collect(() => registry.size === 1 && id2obj(defaultId) === undefined);
  return {
    size: registry.size,
    kept: registry.get(keptId) === kept && registry.idOf(kept) === keptId,
    goneAll: goneIds.every((gone) => registry.get(gone) === undefined),
    fresh: !goneIds.includes(registry.remember({})), // ids carry no order: new means never handed out
    backend: registry.stats().backend,
  };
}

describe.skipIf(!HAVE_CHROMIUM)("in Chromium", () => {
  for (const [path, backend] of [
    ["/", "wasm"],
    ["/csp.html", "js"],
  ] as const) {
    describe(`${path === "/" ? "a plain page" : "a page whose CSP forbids WebAssembly"} (backend ${backend})`, () => {
      let page: Page;
      beforeAll(async () => {
        page = await open(path);
      });
      afterAll(async () => {
        await page?.close();
      });

      it("loads the bundle with the expected table", async () => {
        const loaded = (await page.evaluate(() => (globalThis as any).loaded)) as { wasmCompiles: unknown; backend: string };
        if (backend === "wasm") expect(loaded.wasmCompiles).toBe(true);
        else expect(String(loaded.wasmCompiles)).toMatch(/CompileError|Refused|unsafe-eval/);
        expect(loaded.backend).toBe(backend);
        if (path === "/") {
          const cdp = await context!.newCDPSession(page);
          const { product } = (await cdp.send("Browser.getVersion")) as { product: string };
          await cdp.detach();
          console.log(`test/browser: ${product} (${CHROMIUM})`);
        }
      });

      it("WeakValueMap keeps live values and drops collected ones", async () => {
        expect(await page.evaluate(weakValueMapInPage)).toMatchObject({
          before: 503,
          after: 3,
          keys: ["a", "0", "NaN"],
          same: true,
          stats: { size: 3, pending: 0, backend },
        });
      });

      it("IterableWeakSet keeps order and forgets collected elements", async () => {
        expect(await page.evaluate(iterableWeakSetInPage)).toEqual({
          exported: true,
          before: 302,
          after: 2,
          inOrder: true,
          backend,
        });
      });

      it("IdRegistry and id()/id2obj() resolve live objects only", async () => {
        expect(await page.evaluate(idRegistryInPage)).toEqual({ size: 1, kept: true, goneAll: true, fresh: true, backend });
      });

      it("threw no uncaught error in the page", () => {
        expect(pageErrors).toEqual([]);
      });
    });
  }
});
