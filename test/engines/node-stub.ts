// Stands in for Node's built-in modules (node:util, ...) in the browser bundles: a test that uses
// one fails with an error named EngineUnsupported, which the runner reports as "not run here",
// with this reason, instead of the whole file failing to load.

function unsupported(what: string): never {
  const error = new Error(`uses ${what}, a Node.js API that browsers do not have`);
  error.name = "EngineUnsupported";
  throw error;
}

export function inspect(): never {
  return unsupported("node:util inspect()");
}

export default { inspect };
