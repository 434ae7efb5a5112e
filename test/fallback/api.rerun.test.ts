// test/api/*.test.ts again, with every container on the JavaScript table (see rerun.ts).
import { resetTableModuleForTesting } from "../../src/wasm/instance.js";

resetTableModuleForTesting({ disable: true });
const { rerunOnJsTable } = await import("./rerun.js");
rerunOnJsTable("api");
