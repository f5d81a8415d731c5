/** JSON output for the CLI: byte arrays as hex, bigints as decimal strings, 2-space indent. */
import { bytesToHex } from "../../spec/wire/hex.js";

export const toJson = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? bytesToHex(x) : typeof x === "bigint" ? x.toString() : x), 2);
