// Runs every examples/NN-name.mjs the way its header says (`node --expose-gc examples/NN-name.mjs`,
// from the repository root) and compares its stdout, exactly, with the transcript next to it,
// examples/NN-name.out. The examples import the built package by name ("weaktable",
// "weaktable/testing"), so dist/ must exist: `npm test` builds it first.
//
// To update a transcript after an intended change: node --expose-gc examples/NN-name.mjs > examples/NN-name.out

import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const EXAMPLES = join(ROOT, "examples");
const BUILT = ["dist/src/index.js", "dist/src/testing/index.js"];
const RUN_TIMEOUT_MS = 20_000;

const files = readdirSync(EXAMPLES);
const scripts = files.filter((name) => name.endsWith(".mjs")).sort();
const transcripts = files.filter((name) => name.endsWith(".out")).sort();

/** The child's environment: no inherited NODE_OPTIONS, and no colours whatever the parent forces. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NODE_OPTIONS;
  delete env.FORCE_COLOR;
  return env;
}

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", join("examples", script)],
      { cwd: ROOT, env: childEnv(), encoding: "utf8", timeout: RUN_TIMEOUT_MS },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") reject(error); // could not start, or timed out
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

beforeAll(() => {
  const missing = BUILT.filter((path) => !existsSync(join(ROOT, path)));
  if (missing.length > 0) {
    throw new Error(
      `examples import the built package, but ${missing.join(" and ")} is missing: run \`npm run build\` first (\`npm test\` does)`,
    );
  }
});

describe("examples/", () => {
  it("has examples, each with a transcript, and no transcript without its example", () => {
    expect(scripts.length).toBeGreaterThan(0);
    expect(transcripts).toEqual(scripts.map((name) => name.replace(/\.mjs$/, ".out")));
    for (const name of scripts) expect(name).toMatch(/^\d\d-[a-z0-9-]+\.mjs$/);
  });

  it("README.md lists every example", () => {
    const readme = readFileSync(join(EXAMPLES, "README.md"), "utf8");
    for (const name of scripts) expect(readme, `README.md does not mention ${name}`).toContain(name);
  });

  it.concurrent.each(scripts)("%s prints its transcript", async (script) => {
    const expected = readFileSync(join(EXAMPLES, script.replace(/\.mjs$/, ".out")), "utf8");
    const { code, stdout, stderr } = await run(script);
    expect(stderr, `${script} wrote to stderr`).toBe("");
    expect(code, `${script} exit code`).toBe(0);
    expect(stdout).toBe(expected);
  });
});
