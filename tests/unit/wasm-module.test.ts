import { describe, expect, it } from 'vitest';
import { factoryOnModule, type ModuleFactory } from '../../lib/models/wasm-module';

/** A wasm module that imports `a.f` (no arguments, returns i32) and exports it as `answer`. */
const IMPORTING_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type section: one type, () -> i32
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
  // import section: "a" "f", a function of type 0
  0x02, 0x07, 0x01, 0x01, 0x61, 0x01, 0x66, 0x00, 0x00,
  // export section: "answer" = function 0 (the import)
  0x07, 0x0a, 0x01, 0x06, 0x61, 0x6e, 0x73, 0x77, 0x65, 0x72, 0x00, 0x00,
]);

interface EmscriptenOverrides {
  instantiateWasm?: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) => object;
  locateFile?: (file: string) => string;
}

/** Behaves like an Emscripten factory: hands its imports to `instantiateWasm` and waits for the instance. */
function emscriptenLike(imports: WebAssembly.Imports, seen: EmscriptenOverrides[] = []): ModuleFactory {
  return (module: EmscriptenOverrides = {}) => {
    seen.push(module);
    return new Promise((resolve) => {
      if (!module.instantiateWasm) throw new Error('no instantiateWasm hook');
      module.instantiateWasm(imports, (instance) => resolve((instance.exports.answer as () => number)()));
    });
  };
}

describe('factoryOnModule (one compiled wasm module for every runtime instance)', () => {
  it('instantiates the compiled module with the runtime imports and keeps the other overrides', async () => {
    const compiled = await WebAssembly.compile(IMPORTING_MODULE);
    const seen: EmscriptenOverrides[] = [];
    const locateFile = (file: string) => `/bundle/${file}`;
    const factory = factoryOnModule(emscriptenLike({ a: { f: () => 42 } }, seen), compiled);
    await expect(factory({ locateFile })).resolves.toBe(42);
    // A second runtime on the same module is a separate instance with its own imports.
    const other = factoryOnModule(emscriptenLike({ a: { f: () => 7 } }), compiled);
    await expect(other()).resolves.toBe(7);
    expect(seen[0]?.locateFile).toBe(locateFile);
  });

  it('rejects when the instantiation fails, instead of leaving the runtime waiting', async () => {
    const compiled = await WebAssembly.compile(IMPORTING_MODULE);
    const factory = factoryOnModule(emscriptenLike({ a: {} }), compiled);
    await expect(factory()).rejects.toThrow(WebAssembly.LinkError);
  });
});
