// A revoked Proxy can be weakly referenced, so proxy() accepts it (issue 9 §5); every operation
// through the weak proxy then throws what the revoked Proxy itself throws.
import { describe, expect, it } from "vitest";
import { getWeakRefCount, isProxy, proxy } from "../../src/index.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The error `op` throws, or fails the test if it throws none. */
function thrown(op: () => unknown): Error {
  try {
    op();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("proxy() of a revoked Proxy", () => {
  for (const [kind, target] of [["object", {}], ["array", []], ["function", function f() {}]] as const) {
    it(`accepts a revoked Proxy of an ${kind}, and forwards its TypeError`, () => {
      const { proxy: revoked, revoke } = Proxy.revocable(target as object, {});
      revoke();
      const p = proxy(revoked) as Any;
      expect(isProxy(p)).toBe(true);
      expect(getWeakRefCount(revoked)).toBe(1);
      const ops: Array<[string, (x: Any) => unknown]> = [
        ["get", (x) => x.a],
        ["set", (x) => (x.a = 1)],
        ["has", (x) => "a" in x],
        ["delete", (x) => delete x.a],
        ["ownKeys", (x) => Object.keys(x)],
        ["getPrototypeOf", (x) => Object.getPrototypeOf(x)],
      ];
      for (const [name, op] of ops) {
        const direct = thrown(() => op(revoked));
        const forwarded = thrown(() => op(p));
        expect(forwarded, name).toBeInstanceOf(TypeError);
        expect(forwarded.message, name).toBe(direct.message);
      }
    });
  }
});
