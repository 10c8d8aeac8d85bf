// Time in one IANA timezone, fast enough for millions of events: UTC offsets are looked up from a
// transition table built once with Intl, and RFC 3339 strings are assembled from cached pieces.

export const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
const SAMPLE_STEP_MS = 6 * 3600 * 1000;

const TWO_DIGITS: string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumberOf(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}

/** `YYYY-MM-DD` of a day number. */
export function dateOfDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: number): number {
  // 1970-01-01 was a Thursday (3).
  return (((day + 3) % 7) + 7) % 7;
}

/** The Monday starting the week of a day number. */
export function mondayOf(day: number): number {
  return day - weekdayOf(day);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${TWO_DIGITS[Math.floor(abs / 60)]}:${TWO_DIGITS[abs % 60]}`;
}

export class ZoneClock {
  /** Instants (ms) at which each offset starts to hold, ascending; starts[0] = -Infinity. */
  private readonly starts: number[] = [];
  private readonly offsets: number[] = [];
  private readonly suffixes: string[] = [];
  private cursor = 0;
  private cachedDay = Number.NaN;
  private cachedPrefix = '';
  private bytesDay = Number.NaN;
  private readonly bytesPrefix = new Uint8Array(11);
  private readonly suffixBytes: Uint8Array[] = [];
  private readonly partsFormat: Intl.DateTimeFormat;

  constructor(
    readonly timezone: string,
    fromMs: number,
    toMs: number,
  ) {
    this.partsFormat = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const from = fromMs - 2 * MS_PER_DAY;
    const to = toMs + 2 * MS_PER_DAY;
    let previous = this.computeOffset(from);
    this.push(Number.NEGATIVE_INFINITY, previous);
    for (let t = from + SAMPLE_STEP_MS; t <= to + SAMPLE_STEP_MS; t += SAMPLE_STEP_MS) {
      const current = this.computeOffset(t);
      if (current !== previous) {
        // Transitions fall on whole minutes: find the first minute with the new offset.
        let lo = (t - SAMPLE_STEP_MS) / MS_PER_MINUTE;
        let hi = t / MS_PER_MINUTE;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.computeOffset(mid * MS_PER_MINUTE) === previous) lo = mid;
          else hi = mid;
        }
        this.push(hi * MS_PER_MINUTE, current);
        previous = current;
      }
    }
  }

  private push(start: number, offset: number): void {
    this.starts.push(start);
    this.offsets.push(offset);
    this.suffixes.push(formatOffset(offset));
    this.suffixBytes.push(Uint8Array.from(formatOffset(offset), (c) => c.charCodeAt(0)));
  }

  /** The offset from UTC in minutes, straight from Intl (slow; used to build the table). */
  private computeOffset(ms: number): number {
    const parts = this.partsFormat.formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return Math.round((local - Math.floor(ms / 1000) * 1000) / MS_PER_MINUTE);
  }

  private indexAt(ms: number): number {
    let i = this.cursor;
    const starts = this.starts;
    if ((starts[i] as number) <= ms && (i + 1 >= starts.length || (starts[i + 1] as number) > ms)) return i;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= ms) lo = mid;
      else hi = mid - 1;
    }
    i = lo;
    this.cursor = i;
    return i;
  }

  /** UTC offset in minutes at an instant. */
  offsetMinutes(ms: number): number {
    return this.offsets[this.indexAt(ms)] as number;
  }

  /** The local calendar day (days since 1970-01-01) of an instant. */
  localDay(ms: number): number {
    return Math.floor((ms + this.offsetMinutes(ms) * MS_PER_MINUTE) / MS_PER_DAY);
  }

  /** Milliseconds since local midnight of an instant. */
  localTimeOfDay(ms: number): number {
    const local = ms + this.offsetMinutes(ms) * MS_PER_MINUTE;
    return local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
  }

  /** The instant of a local wall-clock time: `day` (days since epoch) plus `msOfDay`. */
  instantOf(day: number, msOfDay: number): number {
    const wall = day * MS_PER_DAY + msOfDay;
    let guess = wall - this.offsetMinutes(wall) * MS_PER_MINUTE;
    guess = wall - this.offsetMinutes(guess) * MS_PER_MINUTE;
    return guess;
  }

  /** The instant of local midnight starting `day`. */
  midnight(day: number): number {
    return this.instantOf(day, 0);
  }

  /** RFC 3339 with this zone's offset, to the second: 2026-01-05T09:30:00+08:00. */
  format(ms: number): string {
    const i = this.indexAt(ms);
    const local = Math.floor(ms / 1000) * 1000 + (this.offsets[i] as number) * MS_PER_MINUTE;
    const day = Math.floor(local / MS_PER_DAY);
    if (day !== this.cachedDay) {
      this.cachedDay = day;
      this.cachedPrefix = `${dateOfDayNumber(day)}T`;
    }
    let secs = (local - day * MS_PER_DAY) / 1000;
    const h = Math.floor(secs / 3600);
    secs -= h * 3600;
    const m = Math.floor(secs / 60);
    const s = secs - m * 60;
    return `${this.cachedPrefix}${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s]}${this.suffixes[i]}`;
  }

  /** `format(ms)` as ASCII bytes into `out` at `pos` (25 bytes); returns the position after it. */
  writeTime(ms: number, out: Uint8Array, pos: number): number {
    const i = this.indexAt(ms);
    const local = Math.floor(ms / 1000) * 1000 + (this.offsets[i] as number) * MS_PER_MINUTE;
    const day = Math.floor(local / MS_PER_DAY);
    const prefix = this.bytesPrefix;
    if (day !== this.bytesDay) {
      this.bytesDay = day;
      const text = `${dateOfDayNumber(day)}T`;
      for (let k = 0; k < 11; k++) prefix[k] = text.charCodeAt(k);
    }
    for (let k = 0; k < 11; k++) out[pos + k] = prefix[k] as number;
    pos += 11;
    let secs = (local - day * MS_PER_DAY) / 1000;
    const h = Math.floor(secs / 3600);
    secs -= h * 3600;
    const m = Math.floor(secs / 60);
    const sec = secs - m * 60;
    out[pos] = 48 + ((h / 10) | 0);
    out[pos + 1] = 48 + (h % 10);
    out[pos + 2] = 58;
    out[pos + 3] = 48 + ((m / 10) | 0);
    out[pos + 4] = 48 + (m % 10);
    out[pos + 5] = 58;
    out[pos + 6] = 48 + ((sec / 10) | 0);
    out[pos + 7] = 48 + (sec % 10);
    pos += 8;
    const suffix = this.suffixBytes[i] as Uint8Array;
    for (let k = 0; k < suffix.length; k++) out[pos + k] = suffix[k] as number;
    return pos + suffix.length;
  }
}
