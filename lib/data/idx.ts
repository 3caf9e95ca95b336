/** The IDX format of the original MNIST files (big-endian header, uint8 data). */
import { readFileSync } from "node:fs";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

export function readIdx(file: string): IdxArray {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0 || bytes[2] !== 0x08) {
    throw new Error(`${file}: not an unsigned-byte IDX file`);
  }
  const ndim = bytes[3];
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const start = 4 + 4 * ndim;
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length < start + count) throw new Error(`${file}: truncated IDX file`);
  return { dims, data: bytes.subarray(start, start + count) };
}
