// Seeded randomness for the simulator: one fast generator (sfc32), the distributions the behaviour
// model draws from, and RFC 9562 version-4-shaped UUIDs, all reproducible from a seed.

/** A 32-bit hash of a string (FNV-1a), used to derive independent seeds from names. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal = Number.NaN;

  constructor(seed: number, stream = 'main') {
    this.a = hashString(stream, seed >>> 0);
    this.b = hashString(`${stream}/b`, (seed / 4294967296) >>> 0) ^ 0x9e3779b9;
    this.c = hashString(`${stream}/c`, seed >>> 0) ^ 0x243f6a88;
    this.d = 1;
    // sfc32 needs a few rounds before its output is well mixed.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Index drawn with probability proportional to weights[i] (cumulative weights, ascending). */
  pickCumulative(cumulative: readonly number[]): number {
    const total = cumulative[cumulative.length - 1] ?? 0;
    const x = this.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = Number.NaN;
      return v;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape sigma (the median is exact: exp(mu)). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count (Knuth for small means, a rounded normal approximation above 30). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(n: number): string {
  return (HEX[(n >>> 24) & 255] as string) + HEX[(n >>> 16) & 255] + HEX[(n >>> 8) & 255] + HEX[n & 255];
}

/** Version-4-shaped UUIDs from a seeded stream: the same seed gives the same ids, in order. */
export class UuidSource {
  private readonly random: Random;

  constructor(seed: number, stream: string) {
    this.random = new Random(seed, `uuid/${stream}`);
  }

  next(): string {
    const r = this.random;
    const a = r.nextUint32();
    const b = r.nextUint32();
    const c = r.nextUint32();
    const d = r.nextUint32();
    const bHex = hex32(((b & 0xffff0fff) | 0x00004000) >>> 0);
    const cHex = hex32(((c & 0x3fffffff) | 0x80000000) >>> 0);
    return `${hex32(a)}-${bHex.slice(0, 4)}-${bHex.slice(4)}-${cHex.slice(0, 4)}-${cHex.slice(4)}${hex32(d)}`;
  }

  /** The same as `next()`, as 36 ASCII bytes into `out` at `pos`; returns the position after it. */
  writeNext(out: Uint8Array, pos: number): number {
    const r = this.random;
    const a = r.nextUint32();
    const b = ((r.nextUint32() & 0xffff0fff) | 0x00004000) >>> 0;
    const c = ((r.nextUint32() & 0x3fffffff) | 0x80000000) >>> 0;
    const d = r.nextUint32();
    pos = writeHex(a, 8, out, pos);
    out[pos++] = 45;
    pos = writeHex(b >>> 16, 4, out, pos);
    out[pos++] = 45;
    pos = writeHex(b & 0xffff, 4, out, pos);
    out[pos++] = 45;
    pos = writeHex(c >>> 16, 4, out, pos);
    out[pos++] = 45;
    pos = writeHex(c & 0xffff, 4, out, pos);
    pos = writeHex(d, 8, out, pos);
    return pos;
  }
}

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (ch) => ch.charCodeAt(0));

/** `digits` lowercase hex digits of n (an unsigned 32-bit value), most significant first. */
function writeHex(n: number, digits: number, out: Uint8Array, pos: number): number {
  for (let k = digits - 1; k >= 0; k--) {
    out[pos + k] = HEX_DIGITS[n & 15] as number;
    n >>>= 4;
  }
  return pos + digits;
}
