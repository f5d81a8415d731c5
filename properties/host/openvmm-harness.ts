/** What the openvmm host's mutation tests share: a connected harness and little-endian hex of integers. */
import { bytesToHex } from "../../spec/wire/hex.js";
import { Harness, config, initiate } from "./helpers.js";

/** OpenVMM's failure status in replies (STATUS_UNSUCCESSFUL as u32). */
export const FAIL = 0x8000ffff;

/** An openvmm host with the guest connected at `version` and offers requested; the log emptied. */
export const connect = (version = 0x40000, extra: Parameters<typeof config>[1] = {}): Harness => {
  const h = new Harness(config("openvmm", extra));
  h.send(initiate(version));
  h.send({ type: "RequestOffers" });
  h.settle();
  h.log.length = 0;
  return h;
};
export const u32 = (x: number): string => bytesToHex(new Uint8Array(new Uint32Array([x >>> 0]).buffer));
export const u16 = (x: number): string => bytesToHex(new Uint8Array(new Uint16Array([x]).buffer));
export const u64 = (x: bigint): string => u32(Number(x & 0xffffffffn)) + u32(Number(x >> 32n));
