// Imported first by the fallback bundle: turns the WebAssembly module off before anything makes a
// container, so every container of the bundle uses the JavaScript table (backend "js").
import { resetTableModuleForTesting } from "../../src/wasm/instance.js";

resetTableModuleForTesting({ disable: true });
