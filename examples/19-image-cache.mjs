// Seed 003, caching images by file name: with data = {'hello_kitty.png': large_image}, `del
// large_image` frees nothing, as the dict still holds it; with a WeakValueDictionary the entry
// disappears ([('hello_kitty.png', <Image>)] then []). Last, wref = weakref.ref(large_image).
// Run: node --expose-gc examples/19-image-cache.mjs
import { WeakValueMap, ref } from "weaktable";
import { collect } from "weaktable/testing";

class Image {
  constructor(pixels) {
    this.pixels = pixels;
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return `Image(${this.pixels.length}x${this.pixels[0].length})`;
  }
}
const makeImage = () => new Image(Array.from({ length: 600 }, () => new Array(1200).fill(0)));

// 1. A plain dict (Map) keeps the image alive.
let largeImage = makeImage();
let data = new Map([["hello_kitty.png", largeImage]]);
largeImage = undefined; // del large_image
await collect();
console.log(data);
const deletedImage = data.get("hello_kitty.png");
console.log("still there:", deletedImage.pixels.length * deletedImage.pixels[0].length, "pixels");

// 2. A WeakValueMap does not.
largeImage = makeImage();
data = new WeakValueMap();
data.set("hello_kitty.png", largeImage);
console.log([...data]);
largeImage = undefined; // del large_image
// CPython frees the image at once; here collect() runs the collector and waits for it.
await collect(() => data.size === 0);
console.log([...data]);

// 3. A single weak reference.
largeImage = makeImage();
const wref = ref(largeImage);
console.log(String(wref));
let largeImageCopy = wref.deref();
console.log(largeImage === largeImageCopy);
largeImage = largeImageCopy = undefined; // del large_image, large_image_copy
await collect(() => wref.deref() === undefined);
console.log(wref.deref());
