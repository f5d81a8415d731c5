/**
 * stdin/stdout loop for a LineServer (the spec serving as an implementation under test):
 * one JSON line in, the server's lines out, flushed before the next line is read.
 */
import { createInterface } from "node:readline";
import type { LineServer } from "./host-server.js";

export const serveLines = (server: LineServer): Promise<number> =>
  new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    rl.on("line", (text) => {
      if (text.trim() === "") return;
      const out = server.handle(text);
      if (out.length > 0) process.stdout.write(out.join("\n") + "\n");
    });
    rl.on("close", () => resolve(0));
    process.stdout.on("error", () => resolve(0)); // the verifier went away (EPIPE)
  });
