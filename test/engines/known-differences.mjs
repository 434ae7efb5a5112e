// Differences between engines that test:engines has found and that cannot be fixed in the files
// it owns. Each test listed here still runs on the engines named: a failure is reported as
// "differs here" with the reason (counted with the tests that could not run, never as passed);
// a pass is reported as a pass, with a note that the difference did not show this time.
//
// `test` matches "<group> > <name>" as printed (group: "suites [wasm]", "suites [js]", "examples").

// None now. (Examples 10, 12 and 16 were listed for Bun and WebKit: JavaScriptCore collects an
// object whose only holder is a variable never read again; each example now reads it before the
// collect() that must not take it.)
export const KNOWN_DIFFERENCES = [];

/** Examples that cannot run in a page at all, beyond those importing node: modules. */
export const NOT_IN_BROWSERS = {
  "05-node-parent.mjs":
    "its last lines come from finalizers that run when the Node.js process exits (finalize's atexit), which a page never does",
};
