// The realm's one instance of the table module: compiled synchronously, lazily, once.
//
// Why one instance for every container: each instance costs at least one 64 KiB page of memory,
// and engines refuse new memories after some thousands of them, so an instance per container
// cannot serve ten thousand small maps. Containers instead allocate their tables from this
// instance's allocator (AssemblyScript's TLSF, the "minimal" runtime) and give the memory back when
// they are dropped.
//
// Why synchronous: `new WebAssembly.Module` on embedded bytes needs no top-level await, so the ESM
// build can still be `require()`d and a container can be made at any time. The bytes are embedded
// (binary.ts) so no bundler plugin, fetch or file lookup is needed.
//
// Memory is created here and imported by the module, so its maximum is ours to set (tests cap it
// to prove that a failed growth is a RangeError that changes nothing). Any export that may grow
// memory detaches every view of the old buffer: `heap32()` re-creates its view when that happened.

import { WASM_BASE64 } from "./binary.js";
import { InternalError, outOfMemory } from "../core/errors.js";

/** The module's exports (assembly/index.ts). Addresses and slots are plain numbers. */
export interface TableExports {
  readonly SCRATCH_PAIRS: WebAssembly.Global;
  tbl_init(seed: number): void;
  tbl_scratch(): number;
  tbl_empty(): number;
  tbl_new(): number;
  tbl_free(t: number): void;
  tbl_clear(t: number): void;
  tbl_bytes(t: number): number;
  tbl_find(t: number, key: number): number;
  tbl_insert_number(t: number, key: number, gen: number): number;
  tbl_insert_other(t: number, gen: number): number;
  tbl_remove(t: number, slot: number): number;
  tbl_reap(t: number, n: number): number;
  tbl_compact(t: number): number;
  tbl_grow(t: number, withIndex: number, minCapacity?: number): number;
  tbl_gen(t: number, slot: number): number;
  tbl_set_gen(t: number, slot: number, gen: number): void;
  tbl_key(t: number, slot: number): number;
  tbl_is_used(t: number, slot: number): number;
  tbl_slot_at(t: number, pos: number): number;
  tbl_check(t: number): number;
}

/** 65 536 pages of 64 KiB: all a 32-bit memory can address. */
const MAX_PAGES = 65536;

let exportsCache: TableExports | undefined;
let memory: WebAssembly.Memory | undefined;
let view32 = new Int32Array(0);
let maximumPages = MAX_PAGES;
let compileError: unknown;

/** The realm's table module, compiled and instantiated on first use. Throws if it cannot be. */
export function tableModule(): TableExports {
  return exportsCache ?? instantiate();
}

/**
 * False when this realm cannot compile WebAssembly synchronously (a Content-Security-Policy
 * without 'wasm-unsafe-eval', engines that refuse synchronous compiles of this size): containers
 * then keep every key in their JavaScript index instead.
 */
export function wasmAvailable(): boolean {
  if (exportsCache !== undefined) return true;
  if (compileError !== undefined) return false;
  try {
    instantiate();
    return true;
  } catch (error) {
    compileError = error;
    return false;
  }
}

function instantiate(): TableExports {
  const bytes = decodeBase64(WASM_BASE64);
  const module = new WebAssembly.Module(bytes);
  memory = new WebAssembly.Memory({ initial: 1, maximum: maximumPages });
  const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
  const exports = instance.exports as unknown as TableExports;
  exports.tbl_init(randomSeed());
  exportsCache = exports;
  view32 = new Int32Array(memory.buffer);
  return exports;
}

/** The whole memory as i32, re-created after any growth detached the previous view. */
export function heap32(): Int32Array {
  if (view32.length === 0 && memory !== undefined) view32 = new Int32Array(memory.buffer);
  return view32;
}

/** Bytes of WebAssembly memory the realm's instance holds (0 before first use). */
export function memoryBytes(): number {
  return memory === undefined ? 0 : memory.buffer.byteLength;
}

/**
 * Runs an export that allocates. A trap there means the allocator could not grow memory (it
 * traps before changing anything, and so does every table function: see assembly/table.ts), so
 * it becomes the RangeError the contract promises.
 */
export function allocating<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) throw outOfMemory(`${what}; ${memoryBytes()} bytes in use`);
    throw error;
  }
}

/** The module's `abort` import: decodes AssemblyScript's message (a UTF-16 string) and throws. */
function abort(messagePtr: number, filePtr: number, line: number, column: number): never {
  const message = readString(messagePtr);
  if (message === "Allocation too large") throw outOfMemory("a single allocation over 1 GiB");
  throw new InternalError(`weaktable: table module aborted: ${message} at ${readString(filePtr)}:${line}:${column}`);
}

/** The hash secret: from the platform's CSPRNG where there is one (every current engine). */
function randomSeed(): number {
  const crypto = (globalThis as { crypto?: { getRandomValues?(array: Uint32Array): Uint32Array } }).crypto;
  if (typeof crypto?.getRandomValues === "function") return crypto.getRandomValues(new Uint32Array(1))[0]!;
  return (Math.random() * 2 ** 32) >>> 0;
}

function readString(ptr: number): string {
  if (!ptr || memory === undefined) return "";
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0]!;
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * For tests only (not exported from the package): forget the instance so the next use compiles a
 * new one whose memory may grow to at most `maximumPages` pages, or none at all when `disable` is
 * set (the fallback every container must survive). Call it before making any container: tables
 * made earlier belong to the forgotten instance.
 */
export function resetTableModuleForTesting(options: { maximumPages?: number; disable?: boolean } = {}): void {
  exportsCache = undefined;
  memory = undefined;
  view32 = new Int32Array(0);
  maximumPages = options.maximumPages ?? MAX_PAGES;
  compileError = options.disable ? new Error("disabled for testing") : undefined;
}
