/** The minimal-session file `verify` writes and `--replay` reads (docs/verify.md). */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { HostInputJson } from "../io/host-inputs.js";
import { formatErrors, U32 } from "../io/primitives.js";
import type { HostInput } from "../../spec/host/interface.js";
import { closed, DeviceJson } from "./contract.js";
import type { HostSession } from "./session.js";

export const SESSION_FILE_KIND = "vmbus-verify-session";
export const SESSION_FILE_VERSION = 1;

const SessionJson = closed("session", { source: t.string, vcpus: U32, devices: t.array(DeviceJson), inputs: t.array(HostInputJson) });
const FileJson = closed("file", {
  formatVersion: t.literal(SESSION_FILE_VERSION),
  kind: t.literal(SESSION_FILE_KIND),
  role: t.literal("host"),
  profile: t.keyof({ qemu: null, strict: null, openvmm: null }),
  contract: t.number,
  session: SessionJson,
  verdict: t.unknown,
});

export interface SessionFile {
  readonly profile: "qemu" | "strict" | "openvmm";
  readonly session: HostSession;
}

export const sessionFileText = (profile: string, contract: number, session: HostSession, verdict: unknown): string =>
  JSON.stringify({ formatVersion: SESSION_FILE_VERSION, kind: SESSION_FILE_KIND, role: "host", profile, contract, session, verdict }, null, 1) + "\n";

export const parseSessionFile = (text: string, name: string): { ok: true; value: SessionFile } | { ok: false; error: string } => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${name}: not JSON: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}` };
  }
  const r = FileJson.decode(json);
  if (isLeft(r)) return { ok: false, error: formatErrors(name, r.left).slice(0, 3).join("; ") };
  const s = r.right.session;
  return { ok: true, value: { profile: r.right.profile, session: { source: s.source, vcpus: s.vcpus, devices: s.devices, inputs: s.inputs as HostInput[] } } };
};
