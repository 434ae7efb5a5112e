// test/gc/*.test.ts again, real collection included, with every container on the JavaScript
// table (see rerun.ts).
import { resetTableModuleForTesting } from "../../src/wasm/instance.js";

resetTableModuleForTesting({ disable: true });
const { rerunOnJsTable } = await import("./rerun.js");
rerunOnJsTable("gc");
