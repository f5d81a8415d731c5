/** Hand-made VMBus packet bytes for the packet tests: u16 descriptor words, then u32 words from offset 16 (at least 16 bytes). */
export const rawPacket = (type: number, offset8: number, len8: number, words32: readonly number[] = [], total = len8 * 8): Uint8Array => {
  const b = new Uint8Array(Math.max(total, 16));
  const dv = new DataView(b.buffer);
  dv.setUint16(0, type, true);
  dv.setUint16(2, offset8, true);
  dv.setUint16(4, len8, true);
  words32.forEach((w, i) => dv.setUint32(16 + 4 * i, w, true));
  return b;
};
