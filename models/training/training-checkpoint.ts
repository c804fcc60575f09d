/**
 * A training's resumable state as one byte buffer: JSON metadata (epochs done, loss history,
 * optimizer step, ...) followed by float32 arrays (model weights, optimizer moments). Pure: the
 * caller decides where the bytes live (kinds store them in the artifact store).
 *
 * Layout: the ASCII magic `PLUMECKPT1`, a little-endian uint32 byte length of the JSON header, the
 * UTF-8 JSON `{ meta, lengths }`, zero padding to a multiple of 4, then the arrays back to back.
 */
export interface TrainingCheckpoint<M> {
  meta: M;
  arrays: Float32Array[];
}

const MAGIC = 'PLUMECKPT1';

export function encodeTrainingCheckpoint<M>(checkpoint: TrainingCheckpoint<M>): Uint8Array {
  const header = Buffer.from(JSON.stringify({ meta: checkpoint.meta, lengths: checkpoint.arrays.map((a) => a.length) }), 'utf8');
  const headerEnd = MAGIC.length + 4 + header.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const total = dataStart + 4 * checkpoint.arrays.reduce((n, a) => n + a.length, 0);
  const out = new Uint8Array(total);
  out.set(Buffer.from(MAGIC, 'ascii'), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length, true);
  out.set(header, MAGIC.length + 4);
  let offset = dataStart;
  for (const a of checkpoint.arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += a.byteLength;
  }
  return out;
}

/** Decodes a checkpoint; throws a clear error on bytes that are not one (truncated, other format). */
export function decodeTrainingCheckpoint<M>(bytes: Uint8Array): TrainingCheckpoint<M> {
  const fail = (why: string): never => {
    throw new Error(`not a Plume training checkpoint: ${why}`);
  };
  if (bytes.length < MAGIC.length + 4 || Buffer.from(bytes.subarray(0, MAGIC.length)).toString('ascii') !== MAGIC) fail('bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) fail('truncated header');
  const header = JSON.parse(Buffer.from(bytes.subarray(MAGIC.length + 4, headerEnd)).toString('utf8')) as { meta: M; lengths: number[] };
  let offset = Math.ceil(headerEnd / 4) * 4;
  const arrays = header.lengths.map((n) => {
    if (offset + 4 * n > bytes.length) fail('truncated data');
    // Copy: the result must not alias (or depend on the alignment of) the caller's buffer.
    const a = new Float32Array(n);
    new Uint8Array(a.buffer).set(bytes.subarray(offset, offset + 4 * n));
    offset += 4 * n;
    return a;
  });
  if (offset !== bytes.length) fail(`${bytes.length - offset} trailing bytes`);
  return { meta: header.meta, arrays };
}
