// IdRegistry under the real collector: a collected object's id resolves to undefined forever.
import { expect, it } from "vitest";
import { IdRegistry, id, id2obj } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";

function rememberMany(registry: IdRegistry<object>, n: number): { ids: number[]; objects: Array<object | undefined> } {
  const objects: Array<object | undefined> = [];
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = { i };
    objects.push(o);
    ids.push(registry.remember(o));
  }
  return { ids, objects };
}

it("resolves a collected object's id to undefined, and never to a newer object", async () => {
  const registry = new IdRegistry<object>();
  const { ids, objects } = rememberMany(registry, 10_000);
  for (let i = 0; i < 10_000; i += 2) objects[i] = undefined;
  await collect(() => registry.size === 5000);
  const newer = rememberMany(registry, 5000); // reuses the freed slots, never the ids
  for (let i = 0; i < 10_000; i++) expect(registry.get(ids[i]!)).toBe(objects[i]);
  for (const newId of newer.ids) expect(ids).not.toContain(newId);
  expect(registry.size).toBe(10_000);
  expect(registry.flush()).toBe(0);
});

it("id2obj forgets what the default registry's objects no longer keep alive", async () => {
  const make = () => id({ transient: true });
  const oid = make();
  await collect(() => id2obj(oid) === undefined);
  expect(id2obj(oid)).toBeUndefined();
});
