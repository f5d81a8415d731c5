/**
 * `vmbus-spec host --serve [--profile P]`: the spec host as an implementation under test,
 * speaking the runner contract (docs/verify.md) on stdin/stdout. With --profile, a hello for
 * another profile is refused.
 */
import { getString, parseArgs, UsageError } from "../args.js";
import { HOST_PROFILE_NAMES } from "../../../spec/host/profiles.js";
import { createHostServer, type LineServer } from "../../verify/host-server.js";
import { serveLines } from "../../verify/serve.js";

/** Refuse a hello whose profile differs from the one given on the command line. */
export const pinProfile = (inner: LineServer, profile: string | undefined): LineServer => ({
  handle(text: string): string[] {
    if (profile !== undefined && text.includes('"hello"')) {
      try {
        const j = JSON.parse(text) as { kind?: unknown; profile?: unknown };
        if (j.kind === "hello" && j.profile !== profile) return [JSON.stringify({ kind: "error", message: `this server runs profile ${profile}, hello asked for ${String(j.profile)}` })];
      } catch {
        /* the inner server reports it */
      }
    }
    return inner.handle(text);
  },
});

export const serveHost = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "serve", kind: "boolean" },
    { name: "profile", kind: "string" },
  ]);
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  const profile = getString(a, "profile");
  if (profile !== undefined && !(HOST_PROFILE_NAMES as readonly string[]).includes(profile)) throw new UsageError(`--profile must be one of ${HOST_PROFILE_NAMES.join(", ")}, got '${profile}'`);
  return serveLines(pinProfile(createHostServer(), profile));
};
