// test/seeds/*.test.ts (the seed documents' examples) again, on the JavaScript table (see rerun.ts).
import { resetTableModuleForTesting } from "../../src/wasm/instance.js";

resetTableModuleForTesting({ disable: true });
const { rerunOnJsTable } = await import("./rerun.js");
rerunOnJsTable("seeds");
