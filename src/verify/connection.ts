/**
 * The implementation under test as a connection: spawned and greeted (hello handshake) on first
 * use, and respawned after every failed session, because its state is unknown then.
 */
import type { HostProfileName } from "../../spec/host/profiles.js";
import { spawnChild, type Child } from "./child.js";
import type { Role } from "./contract.js";
import { handshake } from "./host-run.js";

/** The implementation broke the runner contract's handshake (docs/verify.md): exit 2. */
export class ContractError extends Error {}

export interface ConnectionOptions {
  readonly command: string;
  readonly profile: HostProfileName;
  readonly timeoutMs: number;
  /** Instead of spawning `command` (in-process implementations, tests). */
  readonly spawn?: () => Child;
  /** Told about every new child (so Ctrl-C can kill it). */
  readonly onChild?: (child: Child) => void;
}

export interface Connection {
  get(): Promise<Child>;
  discard(): void;
  /** The name the implementation gave in its hello ("implementation" before one). */
  name(): string;
}

export const connection = (role: Role, o: ConnectionOptions): Connection => {
  let child: Child | undefined;
  let name = "implementation";
  return {
    async get(): Promise<Child> {
      if (child && child.alive()) return child;
      child?.kill();
      child = o.spawn ? o.spawn() : spawnChild(o.command);
      o.onChild?.(child);
      const h = await handshake(child, role, o.profile, o.timeoutMs);
      if (!h.ok) {
        child.kill();
        throw new ContractError(h.message);
      }
      name = h.name;
      return child;
    },
    discard(): void {
      child?.kill();
      child = undefined;
    },
    name: () => name,
  };
};
