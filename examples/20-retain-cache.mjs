// Seed 003's image cache, made to survive a collection: a WeakValueDictionary by file name loses an
// image at the next collection whenever nothing else holds it, even one read a moment ago, so hot
// images are decoded again after every collection. Python users pair the dictionary with an LRU of
// strong references by hand; `new WeakValueMap(null, { retain: N })` is that pair: the N most
// recently used images stay, the rest are held weakly and go when the collector finds them.
// Run: node --expose-gc examples/20-retain-cache.mjs
import { WeakValueMap } from "weaktable";
import { collect } from "weaktable/testing";

class Image {
  constructor(name) {
    this.name = name;
    this.pixels = new Uint8Array(600 * 1200);
  }
}

let decoded = 0;
const decode = (name) => {
  decoded++;
  return new Image(name);
};

/** Loads every name through `cache`, keeping none of the images: a frame of a program. */
function show(cache, names) {
  for (const name of names) cache.getOrInsertComputed(name, decode);
}

// 1. A plain WeakValueMap: nothing holds the images, so a collection takes them all.
const plain = new WeakValueMap();
show(plain, ["hello_kitty.png", "logo.png", "banner.png"]);
console.log("plain, decoded:", decoded);
// CPython would free them at once; here collect() runs the collector and waits for it.
await collect(() => plain.size === 0);
show(plain, ["hello_kitty.png"]);
console.log("plain, after a collection, decoded:", decoded, "(hello_kitty.png again)");

// 2. retain: 2 keeps the two most recently used images.
decoded = 0;
const gone = [];
const images = new WeakValueMap(null, { retain: 2, onCollect: (name) => gone.push(name) });
show(images, ["hello_kitty.png", "logo.png", "banner.png"]); // banner.png pushes hello_kitty.png out
show(images, ["logo.png"]); // a get refreshes: logo.png is now the most recent
console.log("retain 2, decoded:", decoded, "retained:", images.stats().retained);
await collect(() => images.size === 2);
console.log("collected:", gone.sort());
console.log("kept:", [...images.keys()]);
show(images, ["logo.png", "banner.png"]);
console.log("after a collection, decoded:", decoded, "(nothing again)");

// 3. delete releases what the tier held for the entry, so its image can go.
images.delete("banner.png");
console.log("after delete, retained:", images.stats().retained, "size:", images.size);
images.clear();
console.log("after clear, retained:", images.stats().retained, "size:", images.size);
