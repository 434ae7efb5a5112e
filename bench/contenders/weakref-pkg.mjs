// The npm package `weakref` (denostack): its WeakValueMap (a Map of WeakRefs plus a
// FinalizationRegistry per map).
import { WeakValueMap } from "weakref";
import { MapAdapter } from "./adapters.mjs";

export const info = {
  name: "weakref",
  label: "weakref",
  description: "npm `weakref` WeakValueMap",
  strong: false,
  exactSize: true,
};

export const make = { map: () => new MapAdapter(new WeakValueMap()) };
export const create = make.map;
export const empty = () => new WeakValueMap();
