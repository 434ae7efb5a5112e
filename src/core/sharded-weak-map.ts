// ShardedWeakMap: a WeakMap that stays fast past a million entries.
//
// Why: V8's WeakMap falls off a cliff past about two million entries. Measured on Node 20 here,
// inserting 3 million fresh objects into one WeakMap cost ~1 us each up to 2 million, then 23 us
// and 117 us each over the next million (timed per 500 000 inserts); the same objects spread over
// three WeakMaps of a million each stayed at ~1 us throughout. So the keys are spread over
// *shards*, each a WeakMap that takes at most `tuning.shardEntries` inserts (2^20 by default),
// newest last.
//
// An object has no hash that JavaScript can read, so a key's shard cannot be computed: a lookup
// asks the newest shard first, then the older ones. Below the first shard's limit there is one
// shard and a lookup is one `WeakMap.get`, as before sharding; a miss in a sharded map costs one
// `get` per shard.
//
// Collected keys vanish from their WeakMap silently, so a shard's insert count only ever grows and
// old shards drain without anyone noticing. To keep the shard count proportional to the live keys,
// the owner says how many keys are live whenever a shard fills up; when fewer than half of all the
// inserts since the last rebuild are still live, the map rebuilds instead of opening a shard: it
// re-inserts the owner's live entries into fresh shards (O(live), once per `shardEntries` inserts
// at the least, so amortized O(1) per insert).

import { counters, tuning } from "./collector.js";

export class ShardedWeakMap<K extends WeakKey, V> {
  /** The shard inserts go to. */
  #current = new WeakMap<K, V>();
  /** Inserts into `#current` since it was made. */
  #currentInserts = 0;
  /** Full shards, oldest first; undefined while there is only `#current` (the common case). */
  #older: Array<WeakMap<K, V>> | undefined;
  /** The owner's live entries, for a rebuild. */
  readonly #liveEntries: () => Iterable<readonly [K, V]>;

  constructor(liveEntries: () => Iterable<readonly [K, V]>) {
    this.#liveEntries = liveEntries;
  }

  /** Shards in use (1 until the first one fills up). */
  get shards(): number {
    return 1 + (this.#older?.length ?? 0);
  }

  get(key: K): V | undefined {
    const value = this.#current.get(key);
    if (value !== undefined || this.#older === undefined) return value;
    return this.#getOlder(key);
  }

  #getOlder(key: K): V | undefined {
    const older = this.#older!;
    for (let i = older.length - 1; i >= 0; i--) {
      const value = older[i]!.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /**
   * Adds `key`, which the caller knows is absent (values are never undefined). `live` is how many
   * keys the owner holds before this one: it decides between a new shard and a rebuild.
   */
  add(key: K, value: V, live: number): void {
    if (this.#currentInserts >= tuning.shardEntries) this.#roll(live);
    this.#current.set(key, value);
    this.#currentInserts++;
  }

  /** Changes the value of a key that is present. */
  replace(key: K, value: V): void {
    if (this.#current.has(key) || this.#older === undefined) {
      this.#current.set(key, value);
      return;
    }
    for (const shard of this.#older) {
      if (shard.has(key)) {
        shard.set(key, value);
        return;
      }
    }
  }

  delete(key: K): boolean {
    if (this.#current.delete(key)) return true;
    if (this.#older === undefined) return false;
    for (const shard of this.#older) if (shard.delete(key)) return true;
    return false;
  }

  /** Forgets every key: O(1), the shards go with them. */
  clear(): void {
    this.#current = new WeakMap();
    this.#currentInserts = 0;
    this.#older = undefined;
  }

  /** The current shard is full: open another, or rebuild when most inserts so far are gone. */
  #roll(live: number): void {
    const inserts = this.#currentInserts + (this.#older?.length ?? 0) * tuning.shardEntries;
    if (live * 2 < inserts) {
      this.#rebuild();
      if (this.#currentInserts < tuning.shardEntries) return;
    }
    (this.#older ??= []).push(this.#current);
    this.#current = new WeakMap();
    this.#currentInserts = 0;
  }

  /** Re-inserts the live entries into fresh shards, dropping the old ones with their dead keys. */
  #rebuild(): void {
    counters.shardRebuilds++;
    const entries = [...this.#liveEntries()];
    this.clear();
    const limit = tuning.shardEntries;
    for (const [key, value] of entries) {
      if (this.#currentInserts >= limit) {
        (this.#older ??= []).push(this.#current);
        this.#current = new WeakMap();
        this.#currentInserts = 0;
      }
      this.#current.set(key, value);
      this.#currentInserts++;
    }
  }
}
