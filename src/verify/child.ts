/**
 * The implementation under test as a child process speaking JSON lines. The command runs under
 * a shell in its own process group, so `kill()` ends it and everything it started. Reading is
 * bounded: a line longer than MAX_LINE is garbage, a missing line within the deadline a hang.
 */
import { spawn, type ChildProcess } from "node:child_process";

export const MAX_LINE = 1 << 20;

export type Read =
  | { readonly kind: "line"; readonly text: string; readonly lineNo: number }
  | { readonly kind: "timeout" }
  | { readonly kind: "exit"; readonly code: number | null; readonly signal: string | null }
  | { readonly kind: "tooLong"; readonly lineNo: number };

export interface Child {
  send(line: string): void;
  /** The next line, or why there is none (deadline in ms since the epoch, performance.now clock). */
  next(deadline: number): Promise<Read>;
  /** The last few KiB of stderr (for crash reports). */
  stderrTail(): string;
  kill(): void;
  readonly alive: () => boolean;
}

export const spawnChild = (command: string): Child => {
  const p: ChildProcess = spawn(command, { shell: true, stdio: ["pipe", "pipe", "pipe"], detached: true });
  const lines: string[] = [];
  let partial = "";
  let exited: { code: number | null; signal: string | null } | undefined;
  let tooLong = false;
  let lineNo = 0;
  let stderr = "";
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  p.stdout!.setEncoding("utf8");
  p.stdout!.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const l of parts) lines.push(l.endsWith("\r") ? l.slice(0, -1) : l);
    if (partial.length > MAX_LINE) tooLong = true;
    poke();
  });
  p.stderr!.setEncoding("utf8");
  p.stderr!.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  p.on("close", (code, signal) => {
    exited = { code, signal };
    poke();
  });
  p.on("error", () => {
    exited ??= { code: null, signal: null };
    poke();
  });
  p.stdin!.on("error", () => undefined); // EPIPE when the child is gone: reported by next()

  const killGroup = (): void => {
    if (p.pid === undefined) return;
    try {
      process.kill(-p.pid, "SIGKILL");
    } catch {
      try {
        p.kill("SIGKILL");
      } catch {
        /* already gone */
      }
    }
  };

  return {
    send(line: string): void {
      if (!exited && p.stdin!.writable) p.stdin!.write(line + "\n");
    },
    async next(deadline: number): Promise<Read> {
      for (;;) {
        const l = lines.shift();
        if (l !== undefined) {
          lineNo++;
          if (l.length > MAX_LINE) return { kind: "tooLong", lineNo };
          return { kind: "line", text: l, lineNo };
        }
        if (tooLong) return { kind: "tooLong", lineNo: lineNo + 1 };
        if (exited) {
          // Drain what the child printed before it exited.
          await new Promise((r) => setImmediate(r));
          if (lines.length > 0) continue;
          return { kind: "exit", ...exited };
        }
        const left = deadline - performance.now();
        if (left <= 0) return { kind: "timeout" };
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            wake = undefined;
            resolve();
          }, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    stderrTail: () => stderr.trim().split("\n").slice(-5).join("\n"),
    kill: killGroup,
    alive: () => exited === undefined,
  };
};
