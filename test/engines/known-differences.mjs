// Differences between engines that test:engines has found and that cannot be fixed in the files
// it owns. Each test listed here still runs on the engines named: a failure is reported as
// "differs here" with the reason (counted with the tests that could not run, never as passed);
// a pass is reported as a pass, with a note that the difference did not show this time.
//
// `test` matches "<group> > <name>" as printed (group: "suites [wasm]", "suites [js]", "examples").

/** JavaScriptCore's liveness rule, which V8 does not have (see README.md, ## Engines). */
const JSC_LIVENESS =
  "JavaScriptCore collects an object whose only holder is a variable that is never read again, " +
  "even a module-level one across a top-level await; this example's transcript assumes V8, which keeps it " +
  "(fix in the example: read the variable after the collect() that must not take it)";

export const KNOWN_DIFFERENCES = [
  { engines: ["bun", "webkit"], test: /^examples > 10-weak-method\.mjs$/, why: `${JSC_LIVENESS}: obj` },
  { engines: ["bun", "webkit"], test: /^examples > 12-students-stock\.mjs$/, why: `${JSC_LIVENESS}: student` },
  { engines: ["bun", "webkit"], test: /^examples > 16-cached-spam\.mjs$/, why: `${JSC_LIVENESS}` },
];

/** Examples that cannot run in a page at all, beyond those importing node: modules. */
export const NOT_IN_BROWSERS = {
  "05-node-parent.mjs":
    "its last lines come from finalizers that run when the Node.js process exits (finalize's atexit), which a page never does",
};
