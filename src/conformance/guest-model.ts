/**
 * The guest role as an ObservationModel (docs/verify.md, contract 1): the spec guest
 * (spec/guest, the Linux-like client) observed through the posts and signals an implementation
 * makes. Where the spec guest may post the heads of several lanes (different channels' work is
 * concurrent in Linux), every interleaving stays in the engine's set.
 */
import { guestPostable, guestStep, outgoingBytes } from "../../spec/guest/guest.js";
import type { GuestConfig } from "../../spec/guest/config.js";
import type { DriverAction } from "../../spec/guest/io.js";
import type { GuestState } from "../../spec/guest/state.js";
import type { Message } from "../../spec/wire/messages.js";
import type { Expectation, Move, ObservationModel } from "./engine.js";

export type GuestEvent =
  | { readonly kind: "driver"; readonly action: DriverAction }
  | { readonly kind: "message"; readonly payloadSize: number; readonly payload: string }
  | { readonly kind: "post"; readonly connectionId: number; readonly messageType: number; readonly payloadSize: number; readonly payload: string; readonly status: number }
  | { readonly kind: "signal"; readonly connectionId: number; readonly flagNumber: number; readonly status: number }
  | { readonly kind: "idle" };

export interface GuestModelState {
  readonly g: GuestState;
  /** Rules the last step applied (refusals, drops, failures): why the guest posts nothing. */
  readonly why: readonly string[];
}

const POST_RULES: Partial<Record<Message["type"], string[]>> = {
  InitiateContact: ["GUEST-VERSION-1", "GUEST-VERSION-2", "GUEST-VERSION-3"],
  RequestOffers: ["GUEST-VERSION-4"],
  GpadlHeader: ["GUEST-GPADL-1", "GUEST-GPADL-2"],
  GpadlBody: ["GUEST-GPADL-2"],
  OpenChannel: ["GUEST-OPEN-1"],
  CloseChannel: ["GUEST-CLOSE-1"],
  GpadlTeardown: ["GUEST-CLOSE-1", "GUEST-GPADL-4"],
  ModifyChannel: ["GUEST-MODIFY-1"],
  Unload: ["GUEST-UNLOAD-1"],
  RelIdReleased: ["GUEST-RESCIND-2"],
};

const stepRules = (outputs: readonly { kind: string; rule?: string }[]): string[] => outputs.flatMap((o) => (o.rule !== undefined ? [o.rule] : []));

export const createGuestModel = (config: GuestConfig): ObservationModel<GuestModelState, GuestEvent> => ({
  key: (s) => JSON.stringify(s.g),
  silent: () => [],
  explain: (s, e): Move<GuestModelState>[] => {
    switch (e.kind) {
      case "driver": {
        const r = guestStep(config, s.g, { kind: "driver", action: e.action });
        return [{ label: `driver ${JSON.stringify(e.action)}`, state: { g: r.state, why: stepRules(r.outputs) } }];
      }
      case "message": {
        const r = guestStep(config, s.g, { kind: "hostMessage", payloadSize: e.payloadSize, payload: e.payload });
        return [{ label: `message ${e.payload}`, state: { g: r.state, why: stepRules(r.outputs) } }];
      }
      case "post": {
        const out: Move<GuestModelState>[] = [];
        for (const o of guestPostable(config, s.g)) {
          const bytes = outgoingBytes(o);
          if (o.connectionId !== e.connectionId || e.messageType !== 1 || e.payloadSize !== bytes.length / 2 || bytes !== e.payload.toLowerCase()) continue;
          const r = guestStep(config, s.g, { kind: "postResult", lane: o.lane, status: e.status });
          out.push({ label: `post lane ${o.lane} ${o.message.type} -> ${e.status}`, state: { g: r.state, why: stepRules(r.outputs) } });
        }
        return out;
      }
      case "signal":
        // Linux's vmbus_set_event: HvSignalEvent with the offer's connection id, on an opened channel.
        return e.flagNumber === 0 && s.g.channels.some((c) => c.phase.name === "opened" && c.signalConnectionId === e.connectionId) ? [{ label: `signal ${e.connectionId}`, state: s }] : [];
      case "idle":
        return guestPostable(config, s.g).length === 0 ? [{ label: "idle", state: { ...s, why: [] } }] : [];
    }
  },
  expected: (s): Expectation[] => {
    const heads = guestPostable(config, s.g);
    if (heads.length === 0) return [{ description: "idle (nothing to post)", rules: [...new Set(s.why)] }];
    return heads.map((o) => ({
      description: `post ${o.message.type} connectionId ${o.connectionId} payloadSize ${outgoingBytes(o).length / 2} payload ${outgoingBytes(o)}`,
      rules: [...new Set([...(POST_RULES[o.message.type] ?? []), ...s.why])],
    }));
  },
});
