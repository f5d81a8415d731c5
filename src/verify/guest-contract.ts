/** Guest-role lines to the implementation and the guest session file (docs/verify.md). */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import type { DriverAction } from "../../spec/guest/io.js";
import type { DeviceSpec } from "../../spec/host/interface.js";
import { formatErrors, Hex, U32 } from "../io/primitives.js";
import { closed, DeviceJson } from "./contract.js";

export const DriverActionJson = t.union([
  closed("openChannel", { kind: t.literal("openChannel"), relid: U32, sendPages: U32, recvPages: U32 }),
  closed("closeChannel", { kind: t.literal("closeChannel"), relid: U32 }),
  closed("createGpadl", { kind: t.literal("createGpadl"), relid: U32, pages: U32 }),
  closed("teardownGpadl", { kind: t.literal("teardownGpadl"), gpadl: U32 }),
  closed("modifyChannel", { kind: t.literal("modifyChannel"), relid: U32, targetVp: U32 }),
  closed("unload", { kind: t.literal("unload") }),
]);

export const GuestMessageIn = closed("message", { kind: t.literal("message"), payloadSize: U32, payload: Hex });
export const GuestStatusIn = closed("status", { kind: t.literal("status"), status: U32 });
export const GuestDriverIn = closed("driver", { kind: t.literal("driver"), action: DriverActionJson });
export const RestartGuest = closed("restart", { kind: t.literal("restart"), vcpus: U32, devices: t.array(DeviceJson) });

export interface GuestSession {
  readonly source: string;
  readonly vcpus: number;
  readonly devices: readonly DeviceSpec[];
  /** Driver actions, each taken when the bus is quiet (nothing in flight, the guest idle). */
  readonly actions: readonly DriverAction[];
}

const GuestFileJson = closed("file", {
  formatVersion: t.literal(1),
  kind: t.literal("vmbus-verify-session"),
  role: t.literal("guest"),
  profile: t.keyof({ qemu: null, strict: null, openvmm: null }),
  contract: t.number,
  session: closed("session", { source: t.string, vcpus: U32, devices: t.array(DeviceJson), actions: t.array(DriverActionJson) }),
  verdict: t.unknown,
});

export const guestSessionFileText = (profile: string, contract: number, session: GuestSession, verdict: unknown): string =>
  JSON.stringify({ formatVersion: 1, kind: "vmbus-verify-session", role: "guest", profile, contract, session, verdict }, null, 1) + "\n";

export const parseGuestSessionFile = (text: string, name: string): { ok: true; profile: "qemu" | "strict" | "openvmm"; session: GuestSession } | { ok: false; error: string } => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${name}: not JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}` };
  }
  const r = GuestFileJson.decode(json);
  if (isLeft(r)) return { ok: false, error: formatErrors(name, r.left).slice(0, 3).join("; ") };
  return { ok: true, profile: r.right.profile, session: r.right.session as GuestSession };
};
