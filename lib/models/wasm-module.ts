/**
 * Emscripten runtimes on a module compiled once. Each MediaPipe task is its own instance of the
 * runtime; without this, each instance fetches and compiles the same wasm again.
 */

/** An Emscripten `-sMODULARIZE` factory: takes the Module overrides, resolves with the runtime. */
export type ModuleFactory = (module?: object) => Promise<unknown>;

/**
 * `factory` with its wasm instantiated from `compiled`. Emscripten's hook has no failure callback,
 * so a failed instantiation rejects the factory's own promise (the task's creation fails with it)
 * instead of leaving it waiting.
 */
export function factoryOnModule(factory: ModuleFactory, compiled: WebAssembly.Module): ModuleFactory {
  return (module = {}) => {
    let instantiationFailed: (error: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      instantiationFailed = reject;
    });
    const instantiateWasm = (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void): object => {
      WebAssembly.instantiate(compiled, imports).then(receive, instantiationFailed);
      return {};
    };
    return Promise.race([factory({ ...module, instantiateWasm }), failed]);
  };
}
