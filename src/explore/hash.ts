/**
 * A fingerprint of a canonical state key (SHA-1, native), so the visited set stores 27-character
 * strings instead of whole states. Collision odds are negligible at any reachable size.
 */
import { createHash } from "node:crypto";

export const fingerprint = (key: string): string => createHash("sha1").update(key).digest("base64");
