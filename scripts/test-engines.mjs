#!/usr/bin/env node
// Runs weaktable's container suites and examples in every JavaScript engine we support:
// Node.js (the baseline), Deno and Bun (processes), Chromium, Firefox and WebKit (pages served on
// 127.0.0.1 and driven through their drivers).
//
//   node scripts/test-engines.mjs                       every engine but Node.js (Vitest covers it)
//   node scripts/test-engines.mjs --engines node,deno   some of them (node deno bun chromium firefox webkit)
//   node scripts/test-engines.mjs --only api            some suites (api gc examples), any engine
//
// Vitest does not run inside those engines, so the same test files run there on a tiny stand-in
// for Vitest's API (test/engines/vitest-shim.ts): esbuild bundles test/api/*.test.ts and
// test/gc/*.test.ts twice, once as they are (backend "wasm") and once with the WebAssembly table
// turned off first (backend "js", the fallback), and each example of examples/ on its own, whose
// output must equal its transcript examples/NN-name.out. Every test is reported: passed, failed,
// or "not run" with the reason (a Node API a browser lacks, an engine without a synchronous gc).
//
// Where each engine comes from: Deno and Bun from devDependencies (@deno/linux-x64-glibc,
// @oven/bun-linux-x64); Chromium, Firefox ESR and WebKitGTK's MiniBrowser with WebKitWebDriver and
// xvfb-run from Debian (.ci/run installs them). A missing engine is a failure that says how to
// install it. The last line is "N passed, N failed" (", N skipped" when some could not run).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { KNOWN_DIFFERENCES, NOT_IN_BROWSERS } from "../test/engines/known-differences.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const ALL_ENGINES = ["node", "deno", "bun", "chromium", "firefox", "webkit"];
/** Node.js is left out by default: Vitest runs these suites there already (npm test). */
const DEFAULT_ENGINES = ALL_ENGINES.filter((name) => name !== "node");
const ALL_SUITES = ["api", "gc", "examples"];
const ENGINE_TIMEOUT_MS = 240_000;

const CHROMIUM = "/usr/bin/chromium";
const FIREFOX = "/usr/bin/firefox-esr";
const WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver";
const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const XVFB_RUN = "/usr/bin/xvfb-run";
const DENO = join(ROOT, "node_modules/@deno/linux-x64-glibc/deno");
const BUN = join(ROOT, "node_modules/@oven/bun-linux-x64/bin/bun");

// ---- arguments ------------------------------------------------------------------------------------

let engines = DEFAULT_ENGINES;
let suites = ALL_SUITES;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const value = () => (arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i]).split(",").filter(Boolean);
  if (arg.startsWith("--engines")) engines = value();
  else if (arg.startsWith("--only")) suites = value();
  else if (arg === "--help" || arg === "-h") {
    console.log("usage: node scripts/test-engines.mjs [--engines node,deno,bun,chromium,firefox,webkit] [--only api,gc,examples]");
    process.exit(0);
  } else {
    console.error(`test-engines: unknown argument ${arg}`);
    process.exit(2);
  }
}
for (const name of engines) if (!ALL_ENGINES.includes(name)) (console.error(`test-engines: unknown engine ${name}`), process.exit(2));
for (const name of suites) if (!ALL_SUITES.includes(name)) (console.error(`test-engines: unknown suite ${name}`), process.exit(2));

for (const path of ["dist/src/index.js", "dist/src/testing/index.js"]) {
  if (!existsSync(join(ROOT, path))) {
    console.error(`test-engines: ${path} is missing: run npm run build first (npm run test:engines does)`);
    process.exit(2);
  }
}

// ---- bundles --------------------------------------------------------------------------------------

const OUT = mkdtempSync(join(tmpdir(), "weaktable-engines-"));
const testFiles = (folder) =>
  readdirSync(join(ROOT, "test", folder))
    .filter((name) => name.endsWith(".test.ts"))
    .sort()
    .map((name) => `${folder}/${name}`);

/** The suite entry: marks each file, imports it, and exports run(). */
function suiteEntry(backend) {
  const files = suites.filter((s) => s === "api" || s === "gc").flatMap(testFiles);
  const lines = [];
  if (backend === "js") lines.push(`import "./test/engines/disable-wasm.ts";`);
  lines.push(`import { runCollected, setFile } from "./test/engines/vitest-shim.ts";`);
  lines.push(`import { engineInfo } from "./test/engines/engine-info.ts";`);
  files.forEach((file, i) => {
    lines.push(`import "weaktable-mark:${file}";`);
    lines.push(`import "./test/${file}";`);
    void i;
  });
  lines.push(`setFile("");`);
  lines.push(`export async function run(onOutcome) {`);
  lines.push(`  const info = engineInfo();`);
  lines.push(`  onOutcome({ info });`);
  lines.push(`  const outcomes = await runCollected("", (outcome) => onOutcome({ outcome }));`);
  lines.push(`  return { info, outcomes };`);
  lines.push(`}`);
  lines.push(`globalThis.__weaktableSuite = run;`);
  return lines.join("\n");
}

/** Resolves "vitest" to the shim, "weaktable-mark:FILE" to a setFile call, and node: for browsers. */
function shimPlugin(platform) {
  return {
    name: "weaktable-engines",
    setup(b) {
      b.onResolve({ filter: /^vitest$/ }, () => ({ path: join(ROOT, "test/engines/vitest-shim.ts") }));
      // package.json says "sideEffects": false; the test files and marks are nothing but side effects.
      b.onResolve({ filter: /^\.\/test\// }, (a) => ({ path: join(ROOT, a.path), sideEffects: true }));
      b.onResolve({ filter: /^weaktable-mark:/ }, (a) => ({ path: a.path.slice("weaktable-mark:".length), namespace: "mark", sideEffects: true }));
      b.onLoad({ filter: /.*/, namespace: "mark" }, (a) => ({
        contents: `import { setFile } from ${JSON.stringify(join(ROOT, "test/engines/vitest-shim.ts"))}; setFile(${JSON.stringify(a.path)});`,
        loader: "js",
        resolveDir: ROOT,
      }));
      // Examples print through Node's format (node:util), which Deno and Bun have: their own
      // console.log formats differently (Deno quotes strings with ", Bun breaks lines elsewhere),
      // and Deno's console keeps every object it logged reachable (see README, ## Engines).
      b.onResolve({ filter: /^weaktable-console$/ }, () => ({ path: "console", namespace: "weaktable-console", sideEffects: true }));
      b.onLoad({ filter: /.*/, namespace: "weaktable-console" }, () => ({
        contents:
          `import { format } from "node:util";\n` +
          `console.log = (...args) => void process.stdout.write(format(...args) + "\\n");\n` +
          `console.error = (...args) => void process.stderr.write(format(...args) + "\\n");\n`,
        loader: "js",
        resolveDir: ROOT,
      }));
      if (platform === "browser") b.onResolve({ filter: /^node:/ }, () => ({ path: join(ROOT, "test/engines/node-stub.ts") }));
      else b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, external: true }));
    },
  };
}

async function bundle(contents, outfile, platform, aliases = {}) {
  await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: "entry.mjs", loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    outfile,
    alias: aliases,
    plugins: [shimPlugin(platform)],
    keepNames: true,
    logLevel: "error",
  });
}

const started = Date.now();
const bundles = {};
for (const platform of ["process", "browser"]) {
  for (const backend of ["wasm", "js"]) {
    if (!suites.includes("api") && !suites.includes("gc")) continue;
    const file = join(OUT, `suite-${backend}-${platform}.mjs`);
    await bundle(suiteEntry(backend), file, platform);
    bundles[`${backend}-${platform}`] = file;
  }
}
const examples = suites.includes("examples")
  ? readdirSync(join(ROOT, "examples"))
      .filter((name) => /^\d\d-.*\.mjs$/.test(name))
      .sort()
  : [];
const EXAMPLE_ALIASES = { weaktable: join(ROOT, "dist/src/index.js"), "weaktable/testing": join(ROOT, "dist/src/testing/index.js") };
mkdirSync(join(OUT, "examples"));
mkdirSync(join(OUT, "browser-examples"));
for (const name of examples) {
  const source = readFileSync(join(ROOT, "examples", name), "utf8");
  await bundle(`import "weaktable-console";\n${source}`, join(OUT, "examples", name), "process", EXAMPLE_ALIASES);
  if (browserCannotRun(name) === undefined) await bundle(source, join(OUT, "browser-examples", name), "browser", EXAMPLE_ALIASES);
}
// Tells which engine runs it and which table it gets, whatever suites were chosen.
await bundle(
  `import { engineInfo } from "./test/engines/engine-info.ts";\n` +
    `import { engineFacts } from "./test/engines/facts.ts";\n` +
    `export async function run(onOutcome) { const info = { ...engineInfo(), facts: await engineFacts() }; onOutcome({ info }); return { info, outcomes: [] }; }\n` +
    `globalThis.__weaktableSuite = run;\n`,
  join(OUT, "info.mjs"),
  "browser",
);
writeFileSync(
  join(OUT, "cli.mjs"),
  `const { run } = await import(process.argv.at(-1) ?? "");\n` +
    `await run((event) => console.log("@@" + JSON.stringify(event)));\n`,
);
console.log(`test-engines: bundled ${Object.keys(bundles).length} suites and ${examples.length} examples in ${Date.now() - started} ms (${OUT})`);

// ---- results --------------------------------------------------------------------------------------

/** Per engine: { label, version, backends: Set, passed, failed, skipped, lines: [] } */
const results = [];

function newResult(engine) {
  const result = { engine, version: "?", backends: new Set(), passed: 0, failed: 0, skipped: 0, differences: [], seconds: 0 };
  results.push(result);
  return result;
}

function record(result, group, outcome) {
  const name = `${group} > ${outcome.name}`;
  const known = KNOWN_DIFFERENCES.find((k) => k.engines.includes(result.engine) && k.test.test(name));
  if (known !== undefined && outcome.status === "failed") {
    result.skipped++;
    result.differences.push(name);
    outcome.effective = "differs";
    console.log(`  differs here (known): ${name}: ${known.why}\n       saw: ${String(outcome.detail).split("\n")[0].slice(0, 300)}`);
    return;
  }
  if (known !== undefined && outcome.status === "passed") console.log(`  note: ${name} passed; the known difference did not show this time`);
  result[outcome.status]++;
  if (outcome.status === "failed") console.log(`  FAIL ${name}\n       ${String(outcome.detail).split("\n").join("\n       ")}`);
  else if (outcome.status === "skipped") console.log(`  not run: ${name}: ${outcome.detail}`);
}

/** The engine's name and the facts measured there (test/engines/facts.ts). */
function showInfo(result, info) {
  result.version = info.engine;
  console.log(`  ${info.engine}, new containers get backend "${info.backend}"`);
  for (const [fact, value] of Object.entries(info.facts ?? {})) console.log(`  fact: ${fact}: ${value}`);
}

function fail(result, name, detail) {
  record(result, result.engine, { name, status: "failed", detail });
}

function summarize(result, group, outcomes) {
  const count = (status) => outcomes.filter((o) => (o.effective ?? o.status) === status).length;
  const differs = count("differs") > 0 ? `, ${count("differs")} known differences` : "";
  console.log(`  ${group}: ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} not run${differs}`);
}

/** Compares an example's output with its transcript. */
function checkExample(result, name, { stdout, stderr, code, error }, { collapse = false } = {}) {
  let expected = readFileSync(join(ROOT, "examples", name.replace(/\.mjs$/, ".out")), "utf8");
  if (collapse) {
    // The page formats console.log arguments itself, on one line: compare with Node's line breaks
    // inside one logged value undone (a line that starts with spaces or a closing bracket continues the last).
    expected = expected.replace(/\n(?=\s|[}\]])/g, " ").replace(/\s+/g, " ").replace(/,? ([}\]])/g, " $1");
    stdout = stdout.replace(/\s+/g, " ").replace(/,? ([}\]])/g, " $1");
  }
  let detail;
  if (error !== undefined) detail = error;
  else if (code !== 0) detail = `exit code ${code}; stderr: ${stderr.trim().slice(0, 400)}`;
  else if (stderr !== "") detail = `wrote to stderr: ${stderr.trim().slice(0, 400)}`;
  else if (stdout !== expected && collapse) {
    let at = 0;
    while (at < expected.length && expected[at] === stdout[at]) at++;
    const around = (text) => JSON.stringify(text.slice(Math.max(0, at - 40), at + 60));
    detail = `output differs from ${name.replace(/\.mjs$/, ".out")} (whitespace collapsed) at character ${at}: expected ${around(expected)}, got ${around(stdout)}`;
  } else if (stdout !== expected) {
    const got = stdout.split("\n");
    const want = expected.split("\n");
    const line = want.findIndex((l, i) => l !== got[i]);
    detail = `output differs from ${name.replace(/\.mjs$/, ".out")} at line ${line + 1}: expected ${JSON.stringify(want[line])}, got ${JSON.stringify(got[line])}`;
  }
  const outcome = { name, status: detail === undefined ? "passed" : "failed", detail };
  record(result, "examples", outcome);
  return outcome;
}

// ---- processes: node, deno, bun -------------------------------------------------------------------

function runProcess(command, argv, { timeoutMs = ENGINE_TIMEOUT_MS, env = {}, cwd = ROOT } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: null, error: String(error) });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, error: signal ? `killed by ${signal} (timeout ${timeoutMs} ms?)` : undefined });
    });
  });
}

const PROCESS_ENGINES = {
  node: { binary: process.execPath, argv: (file) => ["--expose-gc", file], install: "Node.js runs this script" },
  deno: {
    binary: DENO,
    argv: (file) => ["run", "-A", "--quiet", "--no-config", "--v8-flags=--expose-gc", file],
    install: "npm install (devDependency @deno/linux-x64-glibc)",
  },
  bun: { binary: BUN, argv: (file) => [file], install: "npm install (devDependency @oven/bun-linux-x64)" },
};

async function runProcessEngine(engine) {
  const result = newResult(engine);
  const spec = PROCESS_ENGINES[engine];
  if (!existsSync(spec.binary)) return fail(result, "engine is installed", `${spec.binary} is missing: ${spec.install}`);
  const info = await runProcess(spec.binary, spec.argv(join(OUT, "cli.mjs")).concat(join(OUT, "info.mjs")));
  const infoLine = info.stdout.split("\n").find((line) => line.startsWith("@@"));
  if (infoLine === undefined) fail(result, "engine starts", `exit ${info.code}: ${info.stderr.trim().slice(-800)}`);
  else showInfo(result, JSON.parse(infoLine.slice(2)).info);
  for (const backend of ["wasm", "js"]) {
    const file = bundles[`${backend}-process`];
    if (file === undefined) continue;
    const group = `suites [${backend}]`;
    const run = await runProcess(spec.binary, spec.argv(join(OUT, "cli.mjs")).concat(file));
    const outcomes = [];
    for (const line of run.stdout.split("\n")) {
      if (!line.startsWith("@@")) continue;
      const event = JSON.parse(line.slice(2));
      if (event.info) {
        result.version = event.info.engine;
        result.backends.add(event.info.backend);
      } else {
        outcomes.push(event.outcome);
        record(result, group, event.outcome);
      }
    }
    if (run.code !== 0 || outcomes.length === 0) {
      fail(result, `${group} ran to the end`, `exit ${run.code} ${run.error ?? ""}; stderr: ${run.stderr.trim().slice(-800)}`);
    }
    summarize(result, group, outcomes);
  }
  const exampleOutcomes = [];
  for (const name of examples) {
    const run = await runProcess(spec.binary, spec.argv(join(OUT, "examples", name)), { timeoutMs: 30_000 });
    exampleOutcomes.push(checkExample(result, name, run));
  }
  if (examples.length > 0) summarize(result, "examples", exampleOutcomes);
  return result;
}

// ---- browsers -------------------------------------------------------------------------------------

const PAGE = `<!doctype html><meta charset="utf-8"><title>weaktable engines</title>
<script type="module">
const params = new URLSearchParams(location.search);
const bundle = params.get("bundle");
globalThis.__weaktableLoaded = bundle ? import(bundle).then(() => "ok", (e) => String(e && e.stack || e)) : Promise.resolve("ok");
</script>`;

/** Node's console.log format for what the examples print: strings bare, the rest as Node shows it. */
const BROWSER_RUNNER = `
globalThis.__weaktableExample = async (url) => {
  const CUSTOM = Symbol.for("nodejs.util.inspect.custom");
  const show = (v, top) => {
    if (v !== null && typeof v === "object" && typeof v[CUSTOM] === "function") return v[CUSTOM](2, {}, (x) => show(x));
    if (typeof v === "string") return top ? v : "'" + v + "'";
    if (typeof v === "bigint") return v + "n";
    if (v === null || typeof v !== "object") return Object.is(v, -0) ? "-0" : String(v);
    if (Array.isArray(v)) return v.length === 0 ? "[]" : "[ " + v.map((x) => show(x)).join(", ") + " ]";
    if (v instanceof Set) return "Set(" + v.size + ") " + (v.size ? "{ " + [...v].map((x) => show(x)).join(", ") + " }" : "{}");
    if (v instanceof Map) return "Map(" + v.size + ") " + (v.size ? "{ " + [...v].map(([k, x]) => show(k) + " => " + show(x)).join(", ") + " }" : "{}");
    const name = v.constructor && v.constructor !== Object ? v.constructor.name + " " : "";
    const keys = Object.keys(v);
    return name + (keys.length ? "{ " + keys.map((k) => k + ": " + show(v[k])).join(", ") + " }" : "{}");
  };
  const lines = [];
  const errors = [];
  const log = console.log, error = console.error;
  console.log = (...a) => lines.push(a.map((x) => show(x, true)).join(" "));
  console.error = (...a) => errors.push(a.map((x) => show(x, true)).join(" "));
  try {
    await import(url);
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
  } catch (e) {
    errors.push(String(e && e.stack || e));
  } finally {
    console.log = log; console.error = error;
  }
  return { stdout: lines.map((l) => l + "\\n").join(""), stderr: errors.join("\\n"), code: 0 };
};`;

let origin = "";
const server = createServer((request, response) => {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/" || path === "/index.html") {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE.replace("<script type=\"module\">", `<script>${BROWSER_RUNNER}</script><script type="module">`));
    return;
  }
  const file = join(OUT, path.replace(/^\/+/, "").replace(/\.\./g, ""));
  if (path.endsWith(".mjs") && existsSync(file)) response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(readFileSync(file));
  else response.writeHead(404).end();
});

/** Examples that import Node's built-in modules cannot run in a page: say so. */
function browserCannotRun(name) {
  if (NOT_IN_BROWSERS[name] !== undefined) return NOT_IN_BROWSERS[name];
  const source = readFileSync(join(ROOT, "examples", name), "utf8");
  const modules = [...source.matchAll(/from "(node:[a-z_/]+)"/g)].map((m) => m[1]);
  return modules.length > 0 ? `imports ${modules.join(", ")}, Node.js APIs a browser does not have` : undefined;
}

/**
 * Runs the suites and examples through `driver`: { open(url) -> page, evaluate(page, fn, arg), close() }.
 * Each bundle runs in a fresh page.
 */
async function runInBrowser(result, driver) {
  const load = async (bundlePath) => {
    const page = await driver.open(`${origin}/?bundle=${encodeURIComponent(bundlePath)}`);
    const loaded = await driver.evaluate(page, "return await globalThis.__weaktableLoaded;");
    if (loaded !== "ok") throw new Error(`the bundle ${bundlePath} did not load: ${loaded}`);
    return page;
  };
  {
    const page = await load("/info.mjs");
    const { info } = await driver.evaluate(page, "return await globalThis.__weaktableSuite(() => {});");
    showInfo(result, info);
    await driver.closePage(page);
  }
  for (const backend of ["wasm", "js"]) {
    if (bundles[`${backend}-browser`] === undefined) continue;
    const group = `suites [${backend}]`;
    try {
      const page = await load(`/suite-${backend}-browser.mjs`);
      const { info, outcomes } = await driver.evaluate(page, "return await globalThis.__weaktableSuite(() => {});");
      result.version = info.engine;
      result.backends.add(info.backend);
      for (const outcome of outcomes) record(result, group, outcome);
      summarize(result, group, outcomes);
      await driver.closePage(page);
    } catch (error) {
      fail(result, `${group} ran to the end`, String(error?.stack ?? error));
    }
  }
  if (examples.length === 0) return;
  const outcomes = [];
  try {
    for (const name of examples) {
      const reason = browserCannotRun(name);
      if (reason !== undefined) {
        const outcome = { name, status: "skipped", detail: reason };
        record(result, "examples", outcome);
        outcomes.push(outcome);
        continue;
      }
      const page = await driver.open(`${origin}/`);
      const run = await driver.evaluate(page, `return await globalThis.__weaktableExample(${JSON.stringify(`/browser-examples/${name}`)});`);
      outcomes.push(checkExample(result, name, run, { collapse: true }));
      await driver.closePage(page);
    }
  } catch (error) {
    fail(result, "examples ran to the end", String(error?.stack ?? error));
  }
  summarize(result, "examples", outcomes);
}

/** Runs `body` of an evaluate call in the page as an async function. */
const asyncBody = (body) => `(async () => { ${body} })()`;

async function chromiumDriver(profile) {
  const { chromium } = require("playwright-core");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--js-flags=--expose-gc",
    ],
  });
  return {
    open: async (url) => {
      const page = await context.newPage();
      await page.goto(url);
      return page;
    },
    evaluate: (page, body) => page.evaluate(asyncBody(body)),
    closePage: (page) => page.close(),
    close: () => context.close(),
  };
}

async function firefoxDriver(profile) {
  const puppeteer = require("puppeteer-core");
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    protocolTimeout: ENGINE_TIMEOUT_MS,
    // TestUtils.gc(): Firefox's way to let a page force a full collection (see weaktable/testing).
    extraPrefsFirefox: { "dom.testing.testutils.enabled": true },
  });
  return {
    open: async (url) => {
      const page = await browser.newPage();
      await page.goto(url);
      return page;
    },
    evaluate: (page, body) => page.evaluate(asyncBody(body)),
    closePage: (page) => page.close(),
    close: () => browser.close(),
  };
}

/** WebKitGTK's MiniBrowser through WebKitWebDriver (classic WebDriver over HTTP), under xvfb-run. */
async function webkitDriver() {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  // Every collection a full one, so that allocation pressure reaches old garbage (see collect()).
  const env = { ...process.env, JSC_useGenerationalGC: "0" };
  const child = spawn(XVFB_RUN, ["-a", WEBKIT_DRIVER, `--port=${port}`], { env, stdio: "ignore", detached: true });
  const base = `http://127.0.0.1:${port}`;
  const wd = async (method, path, body) => {
    const response = await fetch(base + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value ?? json).slice(0, 500)}`);
    return json.value;
  };
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    ready = await wd("GET", "/status").then(
      () => true,
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    stop();
    throw new Error(`WebKitWebDriver did not answer on port ${port}`);
  }
  const session = await wd("POST", "/session", {
    capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
  });
  const id = session.sessionId;
  await wd("POST", `/session/${id}/timeouts`, { script: ENGINE_TIMEOUT_MS, pageLoad: 60_000 });
  return {
    open: async (url) => {
      await wd("POST", `/session/${id}/url`, { url });
      return id;
    },
    evaluate: (_, body) =>
      wd("POST", `/session/${id}/execute/async`, {
        script: `const done = arguments[arguments.length - 1]; ${asyncBody(body)}.then(done, (e) => done({ __error: String(e && e.stack || e) }));`,
        args: [],
      }).then((value) => {
        if (value && value.__error) throw new Error(value.__error);
        return value;
      }),
    closePage: async () => {},
    close: async () => {
      await wd("DELETE", `/session/${id}`).catch(() => {});
      stop();
    },
  };
}

const BROWSERS = {
  chromium: { needs: [CHROMIUM], install: "apt-get install chromium", driver: chromiumDriver },
  firefox: { needs: [FIREFOX], install: "apt-get install firefox-esr", driver: firefoxDriver },
  webkit: {
    needs: [WEBKIT_DRIVER, MINIBROWSER, XVFB_RUN],
    install: "apt-get install webkit2gtk-driver xvfb xauth",
    driver: webkitDriver,
  },
};

async function runBrowserEngine(engine) {
  const result = newResult(engine);
  const spec = BROWSERS[engine];
  const missing = spec.needs.filter((path) => !existsSync(path));
  if (missing.length > 0) return fail(result, "engine is installed", `${missing.join(", ")} missing: ${spec.install}`);
  const profile = mkdtempSync(join(OUT, `${engine}-profile-`));
  let driver;
  try {
    driver = await spec.driver(profile);
    await runInBrowser(result, driver);
  } catch (error) {
    fail(result, "browser started and ran", String(error?.stack ?? error));
  } finally {
    await driver?.close().catch(() => {});
  }
  return result;
}

// ---- main -----------------------------------------------------------------------------------------

await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
origin = `http://127.0.0.1:${server.address().port}`;
for (const engine of engines) {
  const t0 = Date.now();
  console.log(`\n== ${engine}`);
  const watchdog = new Promise((resolve) => setTimeout(() => resolve("timeout"), ENGINE_TIMEOUT_MS * 2).unref());
  const run = PROCESS_ENGINES[engine] ? runProcessEngine(engine) : runBrowserEngine(engine);
  if ((await Promise.race([run, watchdog])) === "timeout") {
    fail(results.at(-1), "finished in time", `still running after ${(ENGINE_TIMEOUT_MS * 2) / 1000} s`);
  }
  const result = results.at(-1);
  result.seconds = (Date.now() - t0) / 1000;
  console.log(
    `  ${result.version}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} not run ` +
      `(${result.differences.length} of them known differences), ${result.seconds.toFixed(1)} s`,
  );
}
server.close();
if (process.env.WEAKTABLE_ENGINES_KEEP !== "1") rmSync(OUT, { recursive: true, force: true });

console.log("\nengine       version                                         backends   passed  failed  not run  seconds");
for (const r of results) {
  console.log(
    `${r.engine.padEnd(12)} ${r.version.padEnd(47)} ${[...r.backends].join("+").padEnd(10)} ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}  ${r.seconds.toFixed(1).padStart(7)}`,
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
console.log(`test-engines: ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 ? 0 : 1);
