// test/retain/*.test.ts again, real collection included, with every container on the JavaScript
// table (see test/fallback/rerun.ts; this file itself is skipped there, as it sets the module up).
import { resetTableModuleForTesting } from "../../src/wasm/instance.js";

resetTableModuleForTesting({ disable: true });
const { rerunOnJsTable } = await import("../fallback/rerun.js");
rerunOnJsTable("retain");
