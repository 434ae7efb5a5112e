// Engine facts that test:engines prints beside the results: what this engine does where engines
// are allowed to differ, observed with weaktable/testing's collect(). Each is measured, not
// assumed; none is a pass or a failure (the suites check what weaktable promises).
import { collect } from "../../src/testing/index.js";

/** Does an async function keep a local that is never read again alive across await? */
async function deadLocalAcrossAwait(): Promise<string> {
  const wr = ((): WeakRef<object> => {
    return new WeakRef({});
  })();
  const holder = wr.deref(); // the only holder from here on, and never read again
  void holder;
  await collect(undefined, { timeoutMs: 5000 });
  await collect(undefined, { timeoutMs: 5000 });
  return wr.deref() === undefined ? "collected (dead locals are not kept across await)" : "kept (dead locals stay alive across await)";
}

/** Does console.log keep what it logged reachable? */
async function consoleKeepsLogged(): Promise<string> {
  const wr = logOne();
  try {
    await collect(() => wr.deref() === undefined, { timeoutMs: 3000 });
    return "no";
  } catch {
    return "yes: an object passed to console.log is never collected";
  }
}

function logOne(): WeakRef<object> {
  const logged = { logged: "by the engines' facts check" };
  console.log("(facts: logging one object)", logged);
  return new WeakRef(logged);
}

/** In which order do FinalizationRegistry callbacks of several registries run after one collection? */
async function registryOrder(): Promise<string> {
  const order: number[] = [];
  const registries: Array<FinalizationRegistry<number>> = [];
  ((): void => {
    for (let r = 0; r < 8; r++) {
      const registry = new FinalizationRegistry<number>(() => order.push(r));
      registries.push(registry);
      registry.register({}, r);
    }
  })();
  await collect(() => order.length === 8, { timeoutMs: 5000 });
  const sorted = order.join() === "0,1,2,3,4,5,6,7";
  const reversed = order.join() === "7,6,5,4,3,2,1,0";
  void registries;
  return `${order.join(",")} for registries made 0..7 (${sorted ? "creation order" : reversed ? "reverse creation order" : "neither creation order nor its reverse"})`;
}

export async function engineFacts(): Promise<Record<string, string>> {
  const facts: Record<string, string> = {};
  for (const [name, probe] of [
    ["a never-read local across await", deadLocalAcrossAwait],
    ["console.log keeps what it logged", consoleKeepsLogged],
    ["order of registry callbacks", registryOrder],
  ] as const) {
    try {
      facts[name] = await probe();
    } catch (error) {
      facts[name] = `could not tell: ${String(error)}`;
    }
  }
  return facts;
}
