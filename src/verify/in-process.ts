/** A LineServer (the spec serving in process) behind the Child interface: no process, no pipe. */
import type { Child, Read } from "./child.js";
import type { LineServer } from "./host-server.js";

export const inProcessChild = (server: LineServer): Child => {
  const lines: string[] = [];
  let head = 0;
  let lineNo = 0;
  return {
    send(text: string): void {
      for (const l of text.split("\n")) if (l.trim() !== "") for (const o of server.handle(l)) lines.push(o);
    },
    async next(): Promise<Read> {
      if (head >= lines.length) return { kind: "timeout" };
      lineNo++;
      const text = lines[head++]!;
      if (head > 4096) lines.splice(0, head), (head = 0);
      return { kind: "line", text, lineNo };
    },
    stderrTail: () => "",
    kill: () => undefined,
    alive: () => true,
  };
};
