/**
 * Every session the host reducer produces (profile qemu, random guest posts — valid, out of
 * order, truncated, random bytes — runs, delivery results, signals, resets), printed as a QEMU
 * log, is accepted, and the session the checker reconstructs replays to the same lines.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { hostRunnable, hostStep, initialHostState, type HostConfig } from "../../spec/host/host.js";
import type { HostInput } from "../../spec/host/interface.js";
import { formatQemuTrace } from "../../spec/host/trace.js";
import type { Message } from "../../spec/wire/messages.js";
import { gpadlMessages, initiate, openMsg, post } from "../host/helpers.js";
import { canonicalLines, checkQemu, replayQemu } from "./helpers.js";

const relid = fc.integer({ min: 0, max: 4 });
const gpadlId = fc.integer({ min: 1, max: 3 });
const message: fc.Arbitrary<readonly Message[]> = fc.oneof(
  fc.tuple(fc.constantFrom(0x40000, 0x40000, 0x30000, 0x40001, 0x50000, 0), fc.integer({ min: 0, max: 2 })).map(([v, vp]) => [initiate(v, vp)]),
  fc.constant([{ type: "RequestOffers" } as Message]),
  fc.tuple(relid, gpadlId, fc.integer({ min: 1, max: 40 })).map(([r, g, p]) => gpadlMessages(r, g, p)),
  fc.tuple(relid, gpadlId, fc.integer({ min: 27, max: 40 })).map(([r, g, p]) => gpadlMessages(r, g, p).slice(0, 1)),
  fc.tuple(gpadlId, fc.integer({ min: 0, max: 3 })).map(([g, n]) => [{ type: "GpadlBody", msgNumber: 0, gpadl: g, pfns: Array.from({ length: n }, (_, i) => String(i + 1)) } as Message]),
  fc.tuple(relid, gpadlId).map(([r, g]) => [{ type: "GpadlTeardown", childRelid: r, gpadl: g } as Message]),
  fc.tuple(relid, gpadlId, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 3 })).map(([r, g, o, vp]) => [openMsg(r, g, o, vp === 3 ? 0xffffffff : vp)]),
  relid.map((r) => [{ type: "CloseChannel", childRelid: r } as Message]),
  fc.constant([{ type: "Unload" } as Message]),
  fc.constant([{ type: "RelIdReleased", childRelid: 1 } as Message]),
);

type Input = HostInput | { readonly kind: "settle" };
const SETTLE: Input = { kind: "settle" };

const step: fc.Arbitrary<readonly Input[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant([SETTLE]) },
  { weight: 5, arbitrary: message.map((ms) => ms.map((m) => post(m))) },
  {
    weight: 1,
    arbitrary: fc.tuple(message, fc.integer({ min: 1, max: 40 })).map(([ms, cut]) =>
      ms.slice(0, 1).map((m) => {
        const p = post(m) as Extract<HostInput, { kind: "postMessage" }>;
        return { ...p, payloadSize: Math.max(0, p.payloadSize - cut) };
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 20 }), fc.uint8Array({ minLength: 0, maxLength: 48 }), fc.integer({ min: 0, max: 250 })).map(([type, rest, size]) => {
      const b = new Uint8Array(4 + rest.length);
      b[0] = type;
      b.set(rest, 4);
      return [{ kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: size, payload: Buffer.from(b).toString("hex") } as HostInput];
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom<HostInput[]>([{ kind: "signalEvent", connectionId: 2, flagNumber: 0 }], [{ kind: "deviceSignal", relid: 1 }], [{ kind: "deviceSignal", relid: 3 }], [{ kind: "reset" }]) },
  { weight: 6, arbitrary: fc.constantFrom<HostInput[]>([{ kind: "run" }]) },
  { weight: 6, arbitrary: fc.constantFrom<HostInput[]>([{ kind: "deliveryResult", result: "delivered" }], [{ kind: "deliveryResult", result: "delivered" }], [{ kind: "deliveryResult", result: "slotBusy" }], [{ kind: "deliveryResult", result: "fatal" }]) },
);

const config: HostConfig = { profile: "qemu", devices: DEFAULT_DEVICES, vcpuCount: 2 };

/** Run the inputs (skipping a run that would do nothing and a delivery with nothing in flight) and print the log. */
const logOf = (inputs: readonly Input[]): string[] => {
  let s = initialHostState(config);
  const out: string[] = [];
  const apply = (input: HostInput): void => {
    const r = hostStep(config, s, input);
    s = r.state;
    for (const o of r.outputs) {
      const l = formatQemuTrace(o);
      if (l !== undefined) out.push(l.trimEnd());
    }
  };
  for (const input of inputs) {
    if (input.kind === "settle") {
      for (let i = 0; i < 200 && (s.inFlight || hostRunnable(config, s)); i++) apply(s.inFlight ? { kind: "deliveryResult", result: "delivered" } : { kind: "run" });
      continue;
    }
    if (input.kind === "run" && !hostRunnable(config, s)) continue;
    if (input.kind === "deliveryResult" && !s.inFlight) continue;
    apply(input);
  }
  return out;
};

/** Every session starts connected with the offers made (then anything may happen). */
const PREFIX: readonly Input[] = [post(initiate(0x40000)), SETTLE, post({ type: "RequestOffers" }), SETTLE];

describe("QEMU logs of host-reducer sessions", () => {
  it("regression (seed 9): a machine reset, which QEMU does not trace, before a run that then drops the message", async () => {
    const body = "09000000000000000000000001000000";
    const lines = logOf([...PREFIX, { kind: "reset" }, { kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 16, payload: body }, SETTLE]);
    expect(lines.slice(-2)).toEqual(["vmbus_recv_message type 9 size 16", "vmbus_process_incoming_message type 9"]);
    const v = await checkQemu(lines, { devices: DEFAULT_DEVICES });
    expect(v.verdict).toBe("accepted");
    if (v.verdict === "accepted") expect(replayQemu(v.session!, DEFAULT_DEVICES)).toEqual(canonicalLines(lines));
    expect((await checkQemu(lines, { devices: DEFAULT_DEVICES, resets: false })).verdict).toBe("rejected");
  });

  it("are accepted and their reconstructions replay to the same lines", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 50 }), async (steps) => {
        const lines = logOf([...PREFIX, ...steps.flat()]);
        const v = await checkQemu(lines, { devices: DEFAULT_DEVICES });
        expect(v.verdict, `${JSON.stringify(v).slice(0, 400)}\n${lines.join("\n")}`).toBe("accepted");
        if (v.verdict === "accepted") expect(replayQemu(v.session!, DEFAULT_DEVICES)).toEqual(canonicalLines(lines));
      }),
      { numRuns: 100, seed: 9 },
    );
  });
});
