/**
 * Seeded procedural generator of binary channelized permeability fields (two facies).
 *
 * STAND-IN: the inversion study (Chen et al. 2025, case 3) draws its realizations by multi-point
 * statistics (direct sampling) from a channel training image. Plume has no MPS engine; this
 * generator makes fields of the same kind — a few sinuous high-permeability channels (sand,
 * 5.46e-12 m^2) in a low-permeability background (shale, 1e-13 m^2), crossing the domain roughly
 * along x (the mean flow direction) — with the same grid (80 x 80) and facies values. It does not
 * reproduce the training image's multi-point pattern statistics.
 *
 * Each channel: a centreline along a direction at angle theta to the x axis, through a point at a
 * random cross-axis offset; the centreline meanders as the sum of two sines
 * `v(u) = A1 sin(2 pi u / L1 + p1) + A2 sin(2 pi u / L2 + p2)` (u along the axis, A2 = A1/3,
 * L2 = L1/2.7); a cell belongs to the channel when its cross-axis distance to the centreline is
 * below `w/2 * sqrt(1 + v'(u)^2)` (half-width measured perpendicular to the meander).
 * Width, amplitude, wavelength, angle, phase and count are drawn uniformly from the option ranges.
 * All lengths are in cells.
 *
 * With the defaults (80 x 80) the channel facies covers 31% of the cells on average over 500
 * realizations (individual fields 16-49%), and the channel facies connected the left and right
 * boundaries (4-neighbour connectivity) in all 500; the tests assert a mean proportion in
 * [0.25, 0.37], every field in [0.10, 0.55], and connection in >= 90% of realizations.
 */
import { Rng } from '../../numerics/rng.js';

export const SHALE_PERMEABILITY = 1e-13;
export const SAND_PERMEABILITY = 5.46e-12;

export interface ChannelFieldOptions {
  nx?: number;
  ny?: number;
  /** inclusive integer range of the number of channels (default [3, 5]) */
  count?: [number, number];
  /** channel width in cells (default [4, 8]) */
  width?: [number, number];
  /** angle to the x axis in degrees (default [-20, 20]) */
  angleDeg?: [number, number];
  /** meander amplitude in cells (default [2, 8]) */
  amplitude?: [number, number];
  /** meander wavelength in cells (default [30, 80]) */
  wavelength?: [number, number];
  /** permeability of channel cells, m^2 (default 5.46e-12) */
  kChannel?: number;
  /** permeability of background cells, m^2 (default 1e-13) */
  kBackground?: number;
}

interface ChannelSpec {
  angle: number;
  offset: number;
  width: number;
  amplitude: number;
  wavelength: number;
  phase1: number;
  phase2: number;
}

export interface ChannelizedField {
  nx: number;
  ny: number;
  /** 1 = channel (sand), 0 = background (shale), row-major [ny, nx] */
  facies: Uint8Array;
  /** m^2, row-major [ny, nx] */
  permeability: Float64Array;
  channels: ChannelSpec[];
}

function range(name: string, r: [number, number]): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || !(r[0] <= r[1]) || !Number.isFinite(r[0]) || !Number.isFinite(r[1])) {
    throw new Error(`channelizedField: ${name} must be a [min, max] pair of finite numbers with min <= max, got ${JSON.stringify(r)}`);
  }
  return r;
}

/** One realization; draws all its randomness from `rng`. */
export function channelizedField(rng: Rng, opts: ChannelFieldOptions = {}): ChannelizedField {
  const nx = opts.nx ?? 80;
  const ny = opts.ny ?? 80;
  if (!Number.isInteger(nx) || nx < 2 || !Number.isInteger(ny) || ny < 2)
    throw new Error(`channelizedField: nx and ny must be integers >= 2, got ${nx} x ${ny}`);
  const count = range('count', opts.count ?? [3, 5]);
  if (!Number.isInteger(count[0]) || !Number.isInteger(count[1]) || count[0] < 0)
    throw new Error(`channelizedField: count must be a range of non-negative integers, got ${JSON.stringify(count)}`);
  const width = range('width', opts.width ?? [4, 8]);
  const angleDeg = range('angleDeg', opts.angleDeg ?? [-20, 20]);
  const amplitude = range('amplitude', opts.amplitude ?? [2, 8]);
  const wavelength = range('wavelength', opts.wavelength ?? [30, 80]);
  if (!(wavelength[0] > 0)) throw new Error(`channelizedField: wavelength must be > 0 cells, got ${JSON.stringify(wavelength)}`);
  const kChannel = opts.kChannel ?? SAND_PERMEABILITY;
  const kBackground = opts.kBackground ?? SHALE_PERMEABILITY;

  const nChannels = count[0] + rng.int(count[1] - count[0] + 1);
  const channels: ChannelSpec[] = [];
  // Offsets stratified across the domain so channels spread out (one stratum per channel).
  const strata = rng.permutation(Math.max(nChannels, 1));
  for (let c = 0; c < nChannels; c++) {
    channels.push({
      angle: (rng.uniform(angleDeg[0], angleDeg[1]) * Math.PI) / 180,
      offset: -ny / 2 + ((strata[c] + rng.next()) / nChannels) * ny,
      width: rng.uniform(width[0], width[1]),
      amplitude: rng.uniform(amplitude[0], amplitude[1]),
      wavelength: rng.uniform(wavelength[0], wavelength[1]),
      phase1: rng.uniform(0, 2 * Math.PI),
      phase2: rng.uniform(0, 2 * Math.PI),
    });
  }
  const facies = new Uint8Array(nx * ny);
  const xc = nx / 2;
  const yc = ny / 2;
  for (const ch of channels) {
    const cos = Math.cos(ch.angle);
    const sin = Math.sin(ch.angle);
    const k1 = (2 * Math.PI) / ch.wavelength;
    const k2 = k1 * 2.7;
    const a2 = ch.amplitude / 3;
    for (let i = 0; i < ny; i++) {
      const y = i + 0.5 - yc;
      for (let j = 0; j < nx; j++) {
        const x = j + 0.5 - xc;
        const u = x * cos + y * sin;
        const v = -x * sin + y * cos - ch.offset;
        const centre = ch.amplitude * Math.sin(k1 * u + ch.phase1) + a2 * Math.sin(k2 * u + ch.phase2);
        const slope = ch.amplitude * k1 * Math.cos(k1 * u + ch.phase1) + a2 * k2 * Math.cos(k2 * u + ch.phase2);
        if (Math.abs(v - centre) < (ch.width / 2) * Math.sqrt(1 + slope * slope)) facies[i * nx + j] = 1;
      }
    }
  }
  const permeability = new Float64Array(nx * ny);
  for (let c = 0; c < nx * ny; c++) permeability[c] = facies[c] ? kChannel : kBackground;
  return { nx, ny, facies, permeability, channels };
}

/** Realization `index` of the stream `seed` (independent of how many others are drawn). */
export function channelizedFieldSeeded(seed: number, index: number, opts: ChannelFieldOptions = {}): ChannelizedField {
  return channelizedField(Rng.derive(seed, 0xc4a7, index), opts);
}

/** Fraction of channel cells. */
export function channelProportion(facies: Uint8Array): number {
  let s = 0;
  for (let c = 0; c < facies.length; c++) s += facies[c];
  return s / facies.length;
}

/** True if channel cells connect the left column to the right column (4-neighbour flood fill). */
export function connectsLeftToRight(facies: Uint8Array, nx: number, ny: number): boolean {
  const seen = new Uint8Array(nx * ny);
  const stack: number[] = [];
  for (let i = 0; i < ny; i++)
    if (facies[i * nx]) {
      seen[i * nx] = 1;
      stack.push(i * nx);
    }
  while (stack.length) {
    const c = stack.pop()!;
    const i = Math.floor(c / nx);
    const j = c % nx;
    if (j === nx - 1) return true;
    const nb = [j > 0 ? c - 1 : -1, j < nx - 1 ? c + 1 : -1, i > 0 ? c - nx : -1, i < ny - 1 ? c + nx : -1];
    for (const n of nb)
      if (n >= 0 && facies[n] && !seen[n]) {
        seen[n] = 1;
        stack.push(n);
      }
  }
  return false;
}
