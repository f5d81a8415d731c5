/** Every layout, re-exported (see catalogue.ts for the ordered list). */
export * from "./header.js";
export * from "./offer.js";
export * from "./simple.js";
export * from "./channel.js";
export * from "./gpadl.js";
export * from "./connect.js";
export * from "./reserved.js";
export * from "./tl.js";
export * from "./framing.js";
