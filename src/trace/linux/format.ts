/**
 * The tracefs lines Linux would print for a walk of the spec's guest (Linux drivers/hv:
 * vmbus_post_msg's callers trace once per message after the retries, with its return value;
 * vmbus_on_msg_dpc traces every received message, the blocking handlers' work
 * vmbus_on_message, and each handler its own event; vmbus_setevent each signal).
 */
import { HvStatus } from "../../../spec/wire/constants.js";
import { decodeMessage } from "../../../spec/wire/codec.js";
import { hexToBytes } from "../../../spec/wire/hex.js";
import type { Message } from "../../../spec/wire/messages.js";
import type { WalkStep } from "../generate.js";
import { formatLinuxEvent, tracefsLine } from "./events.js";
import { sendLine } from "./sends.js";

const EINVAL = -22;
const EAGAIN = -11;
const ENOBUFS = -105;

/** Linux vmbus_post_msg's return value for a final hypercall status (Linux drivers/hv/connection.c). */
export const linuxPostRet = (status: number, isContact: boolean): number => {
  if (status === HvStatus.SUCCESS) return 0;
  if (status === HvStatus.INVALID_CONNECTION_ID) return isContact ? EINVAL : EAGAIN;
  if (status === HvStatus.INSUFFICIENT_BUFFERS || status === HvStatus.INSUFFICIENT_MEMORY) return ENOBUFS;
  return EINVAL;
};

/** Handlers Linux runs from the work queue (channel_message_table VMHT_BLOCKING): traced by vmbus_on_message first. */
const BLOCKING = new Set(["OfferChannel", "RescindChannelOffer"]);

const handlerLine = (m: Message): string | undefined => {
  switch (m.type) {
    case "VersionResponse":
      return formatLinuxEvent("vmbus_onversion_response", [m.versionSupported]);
    case "OfferChannel":
      return formatLinuxEvent("vmbus_onoffer", [
        m.childRelid, m.monitorId, m.form === "win7" ? m.interruptFlags : 0, m.form === "win7" ? m.connectionId : 0,
        m.interfaceType, m.interfaceInstance, m.channelFlags, m.mmioMegabytes, m.subChannelIndex,
      ]);
    case "RescindChannelOffer":
      return formatLinuxEvent("vmbus_onoffer_rescind", [m.childRelid]);
    case "OpenChannelResult":
      return formatLinuxEvent("vmbus_onopen_result", [m.childRelid, m.openId, m.status]);
    case "GpadlCreated":
      return formatLinuxEvent("vmbus_ongpadl_created", [m.childRelid, m.gpadl, m.creationStatus]);
    case "GpadlTorndown":
      return formatLinuxEvent("vmbus_ongpadl_torndown", [m.gpadl]);
    default:
      return undefined;
  }
};

/** Event bodies ("name: args") of a walk, in order. */
export const linuxEventsOf = (steps: readonly WalkStep[]): string[] => {
  const out: string[] = [];
  for (const st of steps) {
    const guestOut = st.outputs.flatMap((o) => (o.source === "guest" ? [o.output] : []));
    if (st.input.kind === "guestPost") {
      for (const p of guestOut) {
        if (p.kind !== "posted") continue;
        const final = p.status === HvStatus.SUCCESS || guestOut.some((o) => o.kind === "failed");
        if (!final) continue;
        const line = sendLine(p.message, p.bytes, linuxPostRet(p.status, p.message.type === "InitiateContact"));
        if (line) out.push(line);
      }
    } else if (st.input.kind === "guestReceive" && st.before.slot && st.before.guest) {
      const slot = st.before.slot;
      const b = hexToBytes(slot.payload);
      if (!b.ok) continue;
      const type = b.value.length >= 4 ? new DataView(b.value.buffer, b.value.byteOffset).getUint32(0, true) : 0;
      out.push(formatLinuxEvent("vmbus_on_msg_dpc", [type]));
      if (guestOut.some((o) => o.kind === "dropped")) continue;
      const view = new Uint8Array(Math.max(slot.payloadSize, 8));
      view.set(b.value.subarray(0, view.length));
      const version = st.before.guest.version ?? (st.before.guest.requestedVersion || undefined);
      const d = decodeMessage(view, { ...(version === undefined ? {} : { version }), direction: "host-to-guest" });
      if (!d.ok) continue;
      if (BLOCKING.has(d.value.message.type)) out.push(formatLinuxEvent("vmbus_on_message", [type]));
      const h = handlerLine(d.value.message);
      if (h) out.push(h);
    } else if (st.input.kind === "guestSignal") {
      out.push(formatLinuxEvent("vmbus_setevent", [st.input.relid]));
    }
  }
  return out;
};

/** The same as tracefs `trace` file lines, with the header tracefs prints. */
export const linuxTraceFileOf = (steps: readonly WalkStep[]): string[] => [
  "# tracer: nop",
  "#",
  "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
  "#              | |         |   |||||     |         |",
  ...linuxEventsOf(steps).map((body, i) => tracefsLine(body, i)),
];
