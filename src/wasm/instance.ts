// The realm's one instance of the table program: compiled synchronously, lazily, once.
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
// Two backends, one program. Where WebAssembly cannot be compiled (a Content-Security-Policy
// without 'wasm-unsafe-eval', `node --jitless`, engines that refuse synchronous compiles), the
// same module runs as JavaScript: fallback.ts is build/release.wasm translated by binaryen's
// wasm2js at build time, over a plain ArrayBuffer. Everything above this file (WasmTable, the room
// policy, the keyed hash) is then shared, so the backends cannot disagree; only `backend` and
// speed tell them apart. The choice is made once per realm and never revisited.
//
// Memory is created here and imported by the module, so its maximum is ours to set (tests cap it
// to prove that a failed growth is a RangeError that changes nothing). Any export that may grow
// memory replaces the buffer (WebAssembly detaches the old one; the fallback swaps in a copy):
// `heap32()` re-creates its view after that happened.

import { WASM_BASE64 } from "./binary.js";
import type { TableExports } from "./exports.js";
import { instantiateFallback } from "./fallback.js";
import { InternalError, outOfMemory } from "../core/errors.js";

export type { TableExports };

/** 65 536 pages of 64 KiB: all a 32-bit memory can address. */
const MAX_PAGES = 65536;
/**
 * The fallback's limit: wasm2js addresses its typed arrays with signed shifts (asm.js style), so
 * its memory must stay below 2 GiB.
 */
const MAX_FALLBACK_PAGES = 32767;

/** What the fallback throws where WebAssembly traps (only the allocator traps: memory is full). */
class FallbackTrap extends Error {
  override name = "FallbackTrap";
}

/** A trap of either backend: the allocator could not grow memory. */
function isTrap(error: unknown): boolean {
  if (error instanceof FallbackTrap) return true;
  return typeof WebAssembly === "object" && error instanceof WebAssembly.RuntimeError;
}

/** One instance of the table program, with its memory. */
export class TableModule {
  readonly backend: "wasm" | "js";
  readonly x: TableExports;
  readonly #memory: { readonly buffer: ArrayBuffer };
  #view32 = new Int32Array(0);

  /** `maximumPages` caps the memory (64 KiB pages); the fallback caps it below 2 GiB whatever is asked. */
  constructor(backend: "wasm" | "js", maximumPages: number = MAX_PAGES) {
    this.backend = backend;
    const abort = (messagePtr: number, filePtr: number, line: number, column: number): never => {
      const message = this.#readString(messagePtr);
      if (message === "Allocation too large") throw outOfMemory("a single allocation over 1 GiB");
      throw new InternalError(`weaktable: table module aborted: ${message} at ${this.#readString(filePtr)}:${line}:${column}`);
    };
    if (backend === "wasm") {
      const module = new WebAssembly.Module(decodeBase64(WASM_BASE64));
      const memory = new WebAssembly.Memory({ initial: 1, maximum: maximumPages });
      this.#memory = memory;
      this.x = new WebAssembly.Instance(module, { env: { memory, abort } }).exports as unknown as TableExports;
    } else {
      const memory = { buffer: new ArrayBuffer(65536), maximum: Math.min(maximumPages, MAX_FALLBACK_PAGES) };
      this.#memory = memory;
      this.x = instantiateFallback({
        memory,
        abort,
        trap: () => {
          throw new FallbackTrap("unreachable");
        },
        grown: () => {
          this.#view32 = new Int32Array(0);
        },
      });
    }
    this.x.tbl_init(randomSeed());
    this.#view32 = new Int32Array(this.#memory.buffer);
  }

  /** The whole memory as i32, re-created after a growth replaced the buffer. Index with `addr >>> 2`. */
  heap32(): Int32Array {
    if (this.#view32.length === 0) this.#view32 = new Int32Array(this.#memory.buffer);
    return this.#view32;
  }

  /** Bytes of memory the instance holds. */
  get memoryBytes(): number {
    return this.#memory.buffer.byteLength;
  }

  /**
   * Runs an export that allocates. A trap there means the allocator could not grow memory (it
   * traps before changing anything, and so does every table function: see assembly/table.ts), so
   * it becomes the RangeError the contract promises.
   */
  allocating<T>(what: string, call: () => T): T {
    try {
      return call();
    } catch (error) {
      if (isTrap(error)) throw outOfMemory(`${what}; ${this.memoryBytes} bytes in use`);
      throw error;
    }
  }

  /** An AssemblyScript string: UTF-16 code units, byte length as u32 at ptr - 4. */
  #readString(ptr: number): string {
    if (!ptr) return "";
    const buffer = this.#memory.buffer;
    const bytes = new Uint32Array(buffer, ptr - 4, 1)[0]!;
    return String.fromCharCode(...new Uint16Array(buffer, ptr, bytes >>> 1));
  }
}

let current: TableModule | undefined;
let maximumPages = MAX_PAGES;
/** Why WebAssembly could not be used, once that was found out (or forced by a test). */
let compileError: unknown;

/** The realm's table module, made on first use: WebAssembly where it compiles, else the fallback. */
export function tableModule(): TableModule {
  return current ?? instantiate();
}

/**
 * False when this realm cannot compile WebAssembly synchronously (a Content-Security-Policy
 * without 'wasm-unsafe-eval', engines that refuse synchronous compiles of this size): containers
 * then run on the same program translated to JavaScript.
 */
export function wasmAvailable(): boolean {
  return tableModule().backend === "wasm";
}

function instantiate(): TableModule {
  if (compileError === undefined) {
    try {
      return (current = new TableModule("wasm", maximumPages));
    } catch (error) {
      compileError = error;
    }
  }
  return (current = new TableModule("js", maximumPages));
}

/** Bytes of memory the realm's instance holds (0 before first use). */
export function memoryBytes(): number {
  return current === undefined ? 0 : current.memoryBytes;
}

/** The hash secret: from the platform's CSPRNG where there is one (every current engine). */
function randomSeed(): number {
  const crypto = (globalThis as { crypto?: { getRandomValues?(array: Uint32Array): Uint32Array } }).crypto;
  if (typeof crypto?.getRandomValues === "function") return crypto.getRandomValues(new Uint32Array(1))[0]!;
  return (Math.random() * 2 ** 32) >>> 0;
}

/**
 * The embedded module's bytes. `atob` where the realm has it (every browser and server runtime);
 * a decoder of our own where it does not (a `node:vm` context, some embedders), so that such a
 * realm still gets the WebAssembly table rather than the fallback.
 */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const atob = (globalThis as { atob?: (text: string) => string }).atob;
  if (typeof atob !== "function") return decodeBase64Slowly(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** RFC 4648 base64 (with `=` padding, as binary.ts is written), four characters to three bytes. */
function decodeBase64Slowly(text: string): Uint8Array<ArrayBuffer> {
  const values = new Uint8Array(128);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) values[BASE64_ALPHABET.charCodeAt(i)] = i;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let out = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (values[text.charCodeAt(i)]! << 18) |
      (values[text.charCodeAt(i + 1)]! << 12) |
      (values[text.charCodeAt(i + 2)]! << 6) |
      values[text.charCodeAt(i + 3)]!;
    if (out < bytes.length) bytes[out++] = n >>> 16;
    if (out < bytes.length) bytes[out++] = (n >>> 8) & 255;
    if (out < bytes.length) bytes[out++] = n & 255;
  }
  return bytes;
}

/**
 * For tests only (not exported from the package): forget the instance so the next use makes a
 * new one whose memory may grow to at most `maximumPages` pages, on the JavaScript fallback when
 * `disable` is set (the backend every container must also work on). Call it before making any
 * container: tables made earlier belong to the forgotten instance.
 */
export function resetTableModuleForTesting(options: { maximumPages?: number; disable?: boolean } = {}): void {
  current = undefined;
  maximumPages = options.maximumPages ?? MAX_PAGES;
  compileError = options.disable ? new Error("disabled for testing") : undefined;
}
