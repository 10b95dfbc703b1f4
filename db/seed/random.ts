/**
 * A small seeded pseudo-random generator for the seed data: the same seed always yields the same
 * sequence, so the demo set is reproducible (same ids, names and numbers for the same `now`).
 * Not for anything security-related.
 */

/** 32-bit FNV-1a hash of a string, used to derive independent streams from names. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * mulberry32: tiny, fast, good enough statistical quality for fake data. The one copy: the tests'
 * and benchmarks' seeded generators use it too.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** `count` distinct items (or all of them when there are fewer), in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
  /** Roughly normal (sum of uniforms), mean `mean`, standard deviation `sd`. */
  normal(mean: number, sd: number): number;
  /** A UUID in version-4 format whose bits come from this stream. */
  uuid(): string;
  /** An independent stream derived from this one's seed and `name`, unaffected by later draws here. */
  fork(name: string): Random;
};

export function createRandom(seed: number | string): Random {
  const base = typeof seed === "number" ? seed >>> 0 : hashString(seed);
  const next = mulberry32(base);
  const random: Random = {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    float(min, max) {
      return min + next() * (max - min);
    },
    chance(p) {
      return next() < p;
    },
    pick(items) {
      if (!items.length) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)];
    },
    weighted(items) {
      let total = 0;
      for (const [, w] of items) total += w;
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1][0];
    },
    sample(items, count) {
      return random.shuffle(items).slice(0, Math.max(0, count));
    },
    shuffle(items) {
      const copy = items.slice();
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy;
    },
    normal(mean, sd) {
      // Irwin–Hall with 6 terms: variance 0.5, so scale by sqrt(2).
      let sum = 0;
      for (let i = 0; i < 6; i++) sum += next();
      return mean + (sum - 3) * Math.SQRT2 * sd;
    },
    uuid() {
      const bytes = new Array<number>(16);
      for (let i = 0; i < 16; i++) bytes[i] = Math.floor(next() * 256);
      bytes[6] = (bytes[6] & 0x0f) | 0x40;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
    fork(name) {
      return createRandom(hashString(`${base}:${name}`));
    },
  };
  return random;
}
