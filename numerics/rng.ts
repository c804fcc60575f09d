/**
 * Seeded random numbers for everything in Plume. Every random draw in the project goes through
 * an `Rng` created from an explicit integer seed, so a campaign with the same spec and seed gives
 * the same numbers on every machine.
 *
 * Backed by pure-rand's xoroshiro128+ (a well-tested generator); we add uniform doubles with 53
 * random bits, standard normals (Marsaglia polar method) and a few helpers.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** murmur3 finaliser: spreads the bits of small integer seeds over the whole word. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export class Rng {
  private gen: JumpableRandomGenerator;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, got ${seed}`);
    this.gen = xoroshiro128plus(mix32(Math.trunc(seed) | 0) | 0);
    // xoroshiro's first outputs from a low-entropy state are poor: burn a few.
    for (let i = 0; i < 16; i++) this.gen.next();
  }

  /** A new independent generator derived from this seed and a stream id (e.g. a run index). */
  static derive(seed: number, ...stream: number[]): Rng {
    let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    for (const s of stream) {
      h = Math.imul(h ^ (Math.trunc(s) >>> 0), 0x85ebca6b) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
      h = Math.imul(h, 0xc2b2ae35) >>> 0;
      h = (h ^ (h >>> 16)) >>> 0;
    }
    return new Rng(h | 0);
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    const v = this.gen.next();
    return v >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [a, b). */
  uniform(a = 0, b = 1): number {
    return a + (b - a) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(a: T[] | Int32Array | Float64Array): typeof a {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }
}
