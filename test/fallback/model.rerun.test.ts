// test/model/*.test.ts again, on the JavaScript table (see rerun.ts): the real-collector model and
// the named regressions here; each fake-collector model file in its own model-*.rerun.test.ts.
import { resetTableModuleForTesting } from "../../src/wasm/instance.js";

resetTableModuleForTesting({ disable: true });
const { rerunOnJsTable } = await import("./rerun.js");
rerunOnJsTable("model");
