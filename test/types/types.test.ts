// The shipped types, as a user's compiler sees them (issue 12 §1): the package is packed, unpacked
// into a throwaway project, and test/types/fixtures/consumer.ts is compiled against it with each
// TypeScript the project installs (the oldest supported, 5.6; the one it builds with; the latest,
// 7.x), under lib es2023 and esnext, strict, without skipLibCheck, so the .d.ts files themselves
// are checked too. The consumer's @ts-expect-error lines make misuse a failure as well.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, assertBuilt, cleanup, tempDir } from "../package/built.js";

const COMPILERS = ["typescript-5.6", "typescript", "typescript-7"] as const;
const LIBS = ["es2023", "esnext"] as const;

let project = "";

beforeAll(() => {
  assertBuilt();
  const dir = tempDir("types-pack");
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tarball = join(dir, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
  project = tempDir("types-consumer");
  execFileSync("tar", ["-xzf", tarball, "-C", project]);
  mkdirSync(join(project, "node_modules"));
  renameSync(join(project, "package"), join(project, "node_modules", "weaktable"));
  copyFileSync(join(ROOT, "test/types/fixtures/consumer.ts"), join(project, "consumer.ts"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
}, 120_000);
afterAll(cleanup);

function version(compiler: string): string {
  return (JSON.parse(readFileSync(join(ROOT, "node_modules", compiler, "package.json"), "utf8")) as { version: string }).version;
}

describe.each(COMPILERS.map((compiler) => ({ compiler, version: version(compiler) })))("types with $compiler ($version)", ({ compiler }) => {
  it.each(LIBS)("a consumer compiles under lib %s, without skipLibCheck", (lib) => {
    const config = `tsconfig.${compiler}.${lib}.json`;
    writeFileSync(
      join(project, config),
      JSON.stringify({
        compilerOptions: {
          target: "es2022", lib: [lib], module: "nodenext", moduleResolution: "nodenext", strict: true,
          noEmit: true, skipLibCheck: false, types: [], exactOptionalPropertyTypes: true,
        },
        files: ["consumer.ts"],
      }),
    );
    const tsc = join(ROOT, "node_modules", compiler, "bin", "tsc");
    const { stdout, stderr, status } = spawnSync(process.execPath, [tsc, "-p", config], { cwd: project, encoding: "utf8", timeout: 120_000 });
    expect(stdout + stderr).toBe("");
    expect(status).toBe(0);
  }, 120_000);
});
