/**
 * NumPy `.npy` (format version 1.0) encoding and decoding, so every tensor Plume stores can be
 * opened with `numpy.load`. Little-endian float32, float64 and int32, C order, any shape.
 */
export type NpyDtype = 'float32' | 'float64' | 'int32';
export type NpyData = Float32Array | Float64Array | Int32Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

const MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
const DESCR: Record<NpyDtype, string> = { float32: '<f4', float64: '<f8', int32: '<i4' };

export function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  throw new Error('unsupported typed array: use Float32Array, Float64Array or Int32Array');
}

export function encodeNpy(data: NpyData, shape: readonly number[]): Buffer {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new Error(`npy: shape [${shape.join(', ')}] holds ${size} values but the array has ${data.length}`);
  }
  const dtype = dtypeOf(data);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Pad so that magic(6) + version(2) + len(2) + header + '\n' is a multiple of 64.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = Buffer.alloc(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export function decodeNpy(buf: Uint8Array): NpyArray {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < MAGIC.length; i++) {
    if (b[i] !== MAGIC[i]) throw new Error('npy: not a .npy file (bad magic bytes)');
  }
  const major = b[6];
  const headerLen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = b.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeTxt = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeTxt === undefined) throw new Error(`npy: unreadable header ${header}`);
  if (fortran === 'True') throw new Error('npy: Fortran-order arrays are not supported');
  const shape = shapeTxt
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const dtype = (Object.keys(DESCR) as NpyDtype[]).find((k) => DESCR[k] === descr);
  if (!dtype) throw new Error(`npy: dtype ${descr} is not supported (use <f4, <f8 or <i4)`);
  const offset = start + headerLen;
  const bytes = b.subarray(offset);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const data = dtype === 'float32' ? new Float32Array(copy.buffer) : dtype === 'float64' ? new Float64Array(copy.buffer) : new Int32Array(copy.buffer);
  return { dtype, shape, data };
}
