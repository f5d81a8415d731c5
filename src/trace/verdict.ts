/** The verdict of checking one log (either role). */
import type { HostInput } from "../../spec/host/interface.js";
import type { Expectation } from "../conformance/engine.js";

export type TraceVerdict =
  | {
      readonly verdict: "accepted";
      readonly events: number;
      readonly guestMessages: number;
      readonly lines: number;
      readonly maxStates: number;
      readonly truncated: boolean;
      readonly warnings: readonly string[];
      readonly session?: readonly { input: HostInput; lineNo: number }[];
    }
  | {
      readonly verdict: "rejected";
      readonly lineNo: number;
      /** The log line (or "end of log"). */
      readonly line: string;
      readonly expected: readonly Expectation[];
      readonly rules: readonly string[];
      readonly events: number;
      readonly truncated: boolean;
      readonly warnings: readonly string[];
    }
  | { readonly verdict: "badLog"; readonly lineNo: number; readonly error: string; readonly warnings: readonly string[] }
  | { readonly verdict: "interrupted"; readonly lineNo: number; readonly events: number; readonly warnings: readonly string[] };

