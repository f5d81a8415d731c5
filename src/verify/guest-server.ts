/**
 * The spec guest as a guest-role implementation (docs/verify.md, contract 1): it posts the head
 * of its lowest lane, waits for the hypercall status, and so on until it has nothing to post.
 * It calls spec/guest's reducer and never re-implements a rule.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { DEFAULT_GUEST_CONFIG, type GuestConfig } from "../../spec/guest/config.js";
import { guestPostable, guestStep, initialGuestState, outgoingBytes } from "../../spec/guest/guest.js";
import type { GuestInput } from "../../spec/guest/io.js";
import type { GuestState } from "../../spec/guest/state.js";
import { formatErrors } from "../io/primitives.js";
import { errorLine, openLine } from "./serve-line.js";
import { GuestDriverIn, GuestMessageIn, GuestStatusIn, RestartGuest } from "./guest-contract.js";
import type { LineServer } from "./host-server.js";

const err = errorLine;

export const createGuestServer = (config: GuestConfig = DEFAULT_GUEST_CONFIG, name = "vmbus-spec guest --serve"): LineServer => {
  let hello = false;
  let g: GuestState | undefined;
  let awaiting: number | null = null;
  let lineNo = 0;

  const next = (): string[] => {
    const head = guestPostable(config, g!)[0];
    if (!head) return [JSON.stringify({ kind: "idle" })];
    awaiting = head.lane;
    const payload = outgoingBytes(head);
    return [JSON.stringify({ kind: "post", connectionId: head.connectionId, messageType: 1, payloadSize: payload.length / 2, payload })];
  };
  const step = (input: GuestInput): string[] => {
    g = guestStep(config, g!, input).state;
    return next();
  };
  const decode = <A>(c: t.Decoder<unknown, A>, json: unknown, what: string): A | string => {
    const r = c.decode(json);
    return isLeft(r) ? formatErrors(`line ${lineNo}: ${what}`, r.left).join("; ") : r.right;
  };

  return {
    handle(text: string): string[] {
      lineNo++;
      const opened = openLine(text, lineNo, "guest", name, () => (hello = true));
      if ("reply" in opened) return opened.reply;
      const { json, kind } = opened;
      if (!hello) return [err(`line ${lineNo}: expected hello first`)];
      if (kind === "restart") {
        const r = decode(RestartGuest, json, "restart");
        if (typeof r === "string") return [err(r)];
        g = initialGuestState(config);
        awaiting = null;
        return next();
      }
      if (!g) return [err(`line ${lineNo}: expected restart first`)];
      if (kind === "status") {
        const r = decode(GuestStatusIn, json, "status");
        if (typeof r === "string") return [err(r)];
        if (awaiting === null) return [err(`line ${lineNo}: status without a hypercall`)];
        const lane = awaiting;
        awaiting = null;
        return step({ kind: "postResult", lane, status: r.status });
      }
      if (awaiting !== null) return [err(`line ${lineNo}: expected the status of the last post`)];
      if (kind === "message") {
        const r = decode(GuestMessageIn, json, "message");
        return typeof r === "string" ? [err(r)] : step({ kind: "hostMessage", payloadSize: r.payloadSize, payload: r.payload });
      }
      if (kind === "driver") {
        const r = decode(GuestDriverIn, json, "driver");
        return typeof r === "string" ? [err(r)] : step({ kind: "driver", action: r.action });
      }
      return [err(`line ${lineNo}: kind: expected one of hello, restart, message, status, driver, got ${JSON.stringify(kind)}`)];
    },
  };
};
