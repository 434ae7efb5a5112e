// Names for the `wasm-function[N]` frames of a CPU profile: reads the export section (and the
// "name" custom section, when the build kept one) of the table module that dist/ embeds, so that
// profile.mjs can print `wasm-function[13] tbl_find` instead of a bare index. Internal functions
// that are neither exported nor named stay as they are.

/** @param {Uint8Array} bytes @returns {Map<number, string>} function index -> name */
export function wasmFunctionNames(bytes) {
  /** @type {Map<number, string>} */
  const names = new Map();
  let p = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  };
  const str = () => {
    const n = leb();
    const s = new TextDecoder().decode(bytes.subarray(p, p + n));
    p += n;
    return s;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const end = p + size;
    if (id === 7) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        const name = str();
        const kind = bytes[p++];
        const index = leb();
        if (kind === 0 && !names.has(index)) names.set(index, name);
      }
    } else if (id === 0) {
      const section = str();
      if (section === "name") {
        while (p < end) {
          const sub = bytes[p++];
          const subSize = leb();
          const subEnd = p + subSize;
          if (sub === 1) {
            const count = leb();
            for (let i = 0; i < count; i++) {
              const index = leb();
              const name = str();
              if (!names.has(index)) names.set(index, name);
            }
          }
          p = subEnd;
        }
      }
    }
    p = end;
  }
  return names;
}

/** The names of dist/'s embedded table module, or an empty map when it cannot be read. */
export async function distWasmNames() {
  try {
    const { WASM_BASE64 } = await import("../../dist/src/wasm/binary.js");
    return wasmFunctionNames(Uint8Array.from(Buffer.from(WASM_BASE64, "base64")));
  } catch {
    return new Map();
  }
}
