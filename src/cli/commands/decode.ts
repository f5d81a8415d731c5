import { readStdinText } from "../files.js";
import { match } from "ts-pattern";
import { getString, parseArgs, UsageError, type ParsedArgs } from "../args.js";
import type { Command } from "../command.js";
import { decodeMessage, type DecodeContext, type WireError } from "../../../spec/wire/codec.js";
import { describeHexError, hexToBytes } from "../../../spec/wire/hex.js";
import { decodePacket, describePacketError } from "../../../spec/wire/packet.js";
import { decodePostMessage, decodeSignalEvent, decodeSynicSlot, slotPayload } from "../../../spec/wire/synic.js";
import { HV_MESSAGE_VMBUS } from "../../../spec/wire/constants.js";
import { parseVersion } from "../../../spec/wire/versions.js";
import { toJson } from "../../io/json.js";

const FRAMES = ["message", "synic", "post", "signal", "packet"] as const;
type Frame = (typeof FRAMES)[number];

export const contextFromArgs = (a: ParsedArgs): DecodeContext => {
  const v = getString(a, "version");
  const d = getString(a, "direction");
  const f = getString(a, "features");
  let version: number | undefined;
  if (v !== undefined) {
    version = parseVersion(v);
    if (version === undefined) throw new UsageError(`--version must be M.m (e.g. 4.0, 0.13), got '${v}'`);
  }
  if (d !== undefined && d !== "host-to-guest" && d !== "guest-to-host") throw new UsageError(`--direction must be host-to-guest or guest-to-host, got '${d}'`);
  let features: number | undefined;
  if (f !== undefined) {
    features = /^0x[0-9a-f]+$/i.test(f) ? parseInt(f.slice(2), 16) : /^\d+$/.test(f) ? Number(f) : NaN;
    if (!Number.isSafeInteger(features) || features > 0xffffffff) throw new UsageError(`--features must be a u32 (decimal or 0x-hex), got '${f}'`);
  }
  return {
    ...(version === undefined ? {} : { version }),
    ...(d === undefined ? {} : { direction: d }),
    ...(features === undefined ? {} : { features }),
  };
};

const wireLine = (e: WireError): string => `${e.kind}: ${e.message}${e.rule ? ` [${e.rule}]` : ""}`;

const fail = (line: string, code = 1): number => {
  process.stderr.write(`vmbus-spec decode: ${line}\n`);
  return code;
};

export const command: Command = {
  name: "decode",
  summary: "decode hex bytes (a channel message, SynIC slot, HvPostMessage/HvSignalEvent input or ring packet) to JSON",
  help: `usage: vmbus-spec decode <hex | -> [--frame message|synic|post|signal|packet]
                          [--version M.m] [--direction host-to-guest|guest-to-host] [--features N]

Decodes bytes given as hex (spaces, ':' and '-' separators and a 0x prefix are allowed; '-'
reads the hex from stdin) and prints JSON.
  --frame message   a VMBus channel message (default): { message, trailingBytes, warnings }
  --frame synic     a 256-byte SynIC message slot; the payload is decoded as a channel message
  --frame post      an HvPostMessage input (16-byte header + payload)
  --frame signal    an 8-byte HvSignalEvent input
  --frame packet    a ring packet (descriptor, typed header, payload)
--version / --direction / --features give the decode context (form selection, version and
direction checks; see docs/wire.md). Bytes that are not a valid message exit 1 with the
decoder's error and its rule ID on one line; text that is not hex exits 2. '-' reads at most 16 MiB.`,
  run: async (argv) => {
    const a = parseArgs(argv, [
      { name: "frame", kind: "string" },
      { name: "version", kind: "string" },
      { name: "direction", kind: "string" },
      { name: "features", kind: "string" },
    ]);
    if (a.positionals.length !== 1) throw new UsageError("give exactly one hex string (or - for stdin)");
    const frame = (getString(a, "frame") ?? "message") as Frame;
    if (!FRAMES.includes(frame)) throw new UsageError(`--frame must be one of ${FRAMES.join(", ")}, got '${frame}'`);
    const ctx = contextFromArgs(a);
    const text = a.positionals[0] === "-" ? await readStdinText() : a.positionals[0]!;
    const hb = hexToBytes(text);
    if (!hb.ok) return fail(`bad hex: ${describeHexError(hb.error)}`, 2);
    const bytes = hb.value;
    const print = (v: unknown): number => {
      process.stdout.write(toJson(v) + "\n");
      return 0;
    };
    return match(frame)
      .with("message", () => {
        const r = decodeMessage(bytes, ctx);
        return r.ok ? print(r.value) : fail(wireLine(r.error));
      })
      .with("synic", () => {
        const s = decodeSynicSlot(bytes);
        if (!s.ok) return fail(wireLine(s.error));
        if (s.value.slot.messageType !== HV_MESSAGE_VMBUS) return print({ frame: s.value, inner: null });
        const m = decodeMessage(slotPayload(s.value.slot), ctx);
        return m.ok ? print({ frame: s.value, inner: m.value }) : fail(`payload: ${wireLine(m.error)}`);
      })
      .with("post", () => {
        const p = decodePostMessage(bytes);
        if (!p.ok) return fail(wireLine(p.error));
        if (p.value.input.messageType !== HV_MESSAGE_VMBUS) return print({ frame: p.value, inner: null });
        const pb = hexToBytes(p.value.input.payload);
        const m = decodeMessage(pb.ok ? pb.value : new Uint8Array(0), ctx);
        return m.ok ? print({ frame: p.value, inner: m.value }) : fail(`payload: ${wireLine(m.error)}`);
      })
      .with("signal", () => {
        const s = decodeSignalEvent(bytes);
        return s.ok ? print(s.value) : fail(wireLine(s.error));
      })
      .with("packet", () => {
        const p = decodePacket(bytes);
        return p.ok ? print(p.value) : fail(`${p.error.kind}: ${describePacketError(p.error)}`);
      })
      .exhaustive();
  },
};
