/**
 * Seeded random numbers for the synthetic corpus. Report i gets its own generator derived from
 * (seed, i), so report i is the same whatever --n is: a 1k corpus is the first 1k files of a 10k one.
 */

/** sfc32: small, fast, good enough statistical quality for test data. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** splitmix32 step, to spread a small seed over the four words of sfc32. */
function mix(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private readonly next: () => number;

  constructor(seed: number, stream = 0) {
    const s = mix(seed ^ Math.imul(stream + 1, 0x27d4eb2d));
    this.next = sfc32(mix(s), mix(s + 1), mix(s + 2), mix(s + 3));
    for (let i = 0; i < 12; i++) this.next(); // warm up
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: weights[i] is the relative chance of items[i]. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** k distinct items in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.min(k, copy.length));
  }

  /**
   * Splits `total` into weights.length non-negative integers, roughly in proportion to the weights
   * (jittered), summing exactly to total. O(parts), whatever the total.
   */
  split(total: number, weights: readonly number[]): number[] {
    const jittered = weights.map((w) => (w > 0 ? w * (0.25 + 1.5 * this.next()) : 0));
    const sum = jittered.reduce((a, b) => a + b, 0);
    if (sum === 0 || total === 0) return weights.map(() => 0);
    const out = jittered.map((w) => Math.floor((total * w) / sum));
    let rest = total - out.reduce((a, b) => a + b, 0);
    while (rest > 0) {
      const i = this.weightedIndex(jittered);
      out[i]++;
      rest--;
    }
    return out;
  }

  private weightedIndex(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}
