/**
 * The first steps of every line the spec's served roles (host --serve, guest --serve) read:
 * parse the JSON, and answer the hello handshake of the runner contract (docs/verify.md).
 */
import { isLeft } from "fp-ts/lib/Either.js";
import { HOST_PROFILE_NAMES, type HostProfileName } from "../../spec/host/profiles.js";
import { formatErrors } from "../io/primitives.js";
import { CONTRACT_VERSION, HelloIn, type Role } from "./contract.js";

/** An error line of the contract. */
export const errorLine = (message: string): string => JSON.stringify({ kind: "error", message });

/** Either the reply to print at once (bad JSON, the hello handshake), or the parsed line to handle. */
export type OpenedLine = { readonly reply: string[] } | { readonly json: unknown; readonly kind: unknown };

export const openLine = (text: string, lineNo: number, role: Role, name: string, onHello: (profile: HostProfileName) => void): OpenedLine => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { reply: [errorLine(`line ${lineNo}: not JSON`)] };
  }
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind !== "hello") return { json, kind };
  const h = HelloIn.decode(json);
  if (isLeft(h)) return { reply: [errorLine(formatErrors(`line ${lineNo}: hello`, h.left).join("; "))] };
  if (h.right.contract !== CONTRACT_VERSION) return { reply: [errorLine(`contract ${h.right.contract} not supported (this is contract ${CONTRACT_VERSION})`)] };
  if (h.right.role !== role) return { reply: [errorLine(`role ${h.right.role} not served here (${role})`)] };
  if (!(HOST_PROFILE_NAMES as readonly string[]).includes(h.right.profile)) return { reply: [errorLine(`unknown profile ${h.right.profile}`)] };
  onHello(h.right.profile as HostProfileName);
  return { reply: [JSON.stringify({ kind: "hello", contract: CONTRACT_VERSION, role, name })] };
};
