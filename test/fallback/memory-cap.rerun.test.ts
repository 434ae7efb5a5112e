// test/faults/memory-cap.test.ts again, on the JavaScript backend: the fallback imports the memory
// instance.ts makes, so the same cap applies, and a failed growth must be the same RangeError.
process.env.WEAKTABLE_TEST_BACKEND = "js";
await import("../faults/memory-cap.test.js");
