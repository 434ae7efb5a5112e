// Shared by the tests of the built package (test/package/, test/browser/): where the repository
// is, a check that dist/ is current, and throwaway projects that depend on `weaktable`.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the package). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

/**
 * Throws unless dist/ holds a build of every file of src/ at least as new as its source: these
 * tests check what a user installs, so they refuse to check an old build. `npm test` builds first.
 */
export function assertBuilt(): void {
  const stale: string[] = [];
  for (const source of sources(join(ROOT, "src"))) {
    const built = join(ROOT, "dist", relative(ROOT, source)).replace(/\.ts$/, ".js");
    if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) stale.push(relative(ROOT, source));
  }
  if (stale.length > 0) {
    throw new Error(`dist/ is missing or older than ${stale.slice(0, 3).join(", ")}${stale.length > 3 ? ", ..." : ""}: run \`npm run build\` first (\`npm test\` does)`);
  }
}

/** A fresh temporary directory; `cleanup()` removes every one made so far. */
const made: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `weaktable-${prefix}-`));
  made.push(dir);
  return dir;
}
export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A throwaway project whose node_modules/weaktable is a link to this repository (resolved through its exports). */
export function projectLinkingRepo(prefix: string): string {
  const dir = tempDir(prefix);
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "weaktable"), "dir");
  return dir;
}

/** Runs `node` (this test's own binary, so every Node version under test is used). */
export function runNode(args: string[], cwd: string): { stdout: string; stderr: string; status: number | null } {
  const { stdout, stderr, status, error } = spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout: 60_000 });
  if (error) throw error;
  return { stdout, stderr, status };
}
