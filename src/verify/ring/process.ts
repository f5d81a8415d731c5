/**
 * Running the implementation under test: one process per ring operation (the ring CLI's
 * interface). Each child gets its own process group so that a timeout or Ctrl-C kills it and
 * anything it started; stdout is capped so a runaway child cannot grow the verifier's memory.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface ImplResult {
  /** Exit code, or null when the process was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** stdout exceeded the cap (the process was killed). */
  readonly overflow: boolean;
  /** The process could not be started (spawn error message). */
  readonly spawnError: string | null;
  readonly elapsedMs: number;
}

/** Largest stdout/stderr the verifier keeps from one operation. */
export const OUTPUT_CAP = 8 << 20;

/**
 * Split a command line into words like a POSIX shell does for quoting ('…', "…", \x), without
 * expansion of any kind. Throws on an unterminated quote.
 */
export const splitCommand = (line: string): string[] => {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error("unterminated ' quote");
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      i++;
      for (; i < line.length && line[i] !== '"'; i++) cur += line[i] === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!) ? line[++i]! : line[i]!;
      if (i >= line.length) throw new Error('unterminated " quote');
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      cur += line[++i]!;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
};

/** Every child still running, so that an interrupted verifier can kill them all. */
const live = new Set<ChildProcess>();

const killGroup = (child: ChildProcess): void => {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    try {
      child.kill("SIGKILL");
    } catch {
      /* already gone */
    }
  }
};

/** Kill every child the verifier started that is still running (Ctrl-C, errors). */
export const killAll = (): void => {
  for (const c of live) killGroup(c);
};

/** Run `command args…` with `input` on stdin; resolves when it has exited (or was killed). */
export const runImpl = (command: readonly string[], args: readonly string[], input: string, timeoutMs: number, cwd: string): Promise<ImplResult> =>
  new Promise((resolve) => {
    const t0 = performance.now();
    let child: ChildProcess;
    try {
      child = spawn(command[0]!, [...command.slice(1), ...args], { cwd, stdio: ["pipe", "pipe", "pipe"], detached: true });
    } catch (e) {
      resolve({ code: null, signal: null, stdout: "", stderr: "", timedOut: false, overflow: false, spawnError: (e as Error).message, elapsedMs: 0 });
      return;
    }
    live.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let overflow = false;
    let spawnError: string | null = null;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.stdout!.on("data", (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > OUTPUT_CAP) {
        if (!overflow) killGroup(child);
        overflow = true;
        return;
      }
      out.push(b);
    });
    child.stderr!.on("data", (b: Buffer) => {
      errBytes += b.length;
      if (errBytes <= 64 << 10) err.push(b);
    });
    child.on("error", (e) => {
      spawnError = e.message;
    });
    // The implementation may exit without reading its input (EPIPE): that is its business.
    child.stdin!.on("error", () => undefined);
    child.stdin!.end(input);
    // A descendant that escaped the group (setsid) may hold stdout open after the child exits:
    // 'close' would never come. Give it a moment after 'exit', then stop listening.
    let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let finished = false;
    let grace: NodeJS.Timeout | null = null;
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      grace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, signal);
      }, 2000);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (grace) clearTimeout(grace);
      live.delete(child);
      // Anything the implementation left running in its group goes with it.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* the group is empty */
        }
      }
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
        overflow,
        spawnError,
        elapsedMs: performance.now() - t0,
      });
    };
    child.on("close", (code, signal) => finish(exited?.code ?? code, exited?.signal ?? signal));
  });
