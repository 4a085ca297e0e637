// SimpleDateFormat.parse in lenient mode, UTC and en_US: the text read field by field as Java reads
// it, then the date worked out from the fields set last, as GregorianCalendar does.
import { DataException } from '../../api/index.ts';
import {
  CUTOVER_DAY,
  dayOf,
  fieldsOf,
  gregorianDay,
  julianDay,
  MILLIS_PER_DAY,
  weekdayOf,
} from './calendar.ts';
import { AM_PM, ERAS, MONTHS, SHORT_MONTHS, SHORT_WEEKDAYS, WEEKDAYS, type Part } from './date-symbols.ts';

type DayOfDate = (year: number, month: number, day: number) => number;

/** Fields whose abutting predecessor must take exactly its width (SimpleDateFormat.shouldObeyCount). */
function isNumeric(part: Part | undefined): boolean {
  if (!part || 'literal' in part) return false;
  if (part.letter === 'M' || part.letter === 'L') return part.count <= 2;
  return 'ydkHmsSDFwWhKYu'.includes(part.letter);
}

/** DecimalFormat's integer parse: an optional '-' and ASCII digits, made an int as Number.intValue(). */
function parseInteger(text: string, start: number, end: number): { value: number; next: number } | null {
  let i = start;
  const negative = text[i] === '-';
  if (negative) i++;
  const digitsStart = i;
  while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === digitsStart) return null;
  const magnitude = BigInt(text.slice(digitsStart, i));
  const signed = negative ? -magnitude : magnitude;
  // A Long wraps to 32 bits; beyond a Long, DecimalFormat returns a Double, which saturates.
  const value =
    signed >= -(2n ** 63n) && signed < 2n ** 63n
      ? Number(BigInt.asIntN(32, signed))
      : negative
        ? -2_147_483_648
        : 2_147_483_647;
  return { value, next: i };
}

/** The longest of `names` that `text` holds at `start`, ignoring case (SimpleDateFormat.matchString). */
function matchName(
  text: string,
  start: number,
  names: readonly string[],
): { index: number; next: number } | null {
  let best: { index: number; next: number } | null = null;
  names.forEach((name, index) => {
    const candidate = text.slice(start, start + name.length);
    if (
      name.length > (best ? best.next - start : 0) &&
      candidate.length === name.length &&
      candidate.toLowerCase() === name.toLowerCase()
    ) {
      best = { index, next: start + name.length };
    }
  });
  return best;
}

type FieldName =
  | 'era'
  | 'year'
  | 'month'
  | 'dayOfMonth'
  | 'dayOfYear'
  | 'dayOfWeek'
  | 'dayOfWeekInMonth'
  | 'hourOfDay'
  | 'hour'
  | 'amPm'
  | 'minute'
  | 'second'
  | 'millisecond'
  | 'zoneOffset';

const NUMERIC_FIELDS: Record<string, FieldName> = {
  d: 'dayOfMonth',
  H: 'hourOfDay',
  m: 'minute',
  s: 'second',
  S: 'millisecond',
  D: 'dayOfYear',
  F: 'dayOfWeekInMonth',
  K: 'hour',
};

export class DateParser {
  private readonly values = new Map<FieldName, number>();
  /** When each field was set, as Calendar's stamps: the latest of competing fields wins. */
  private readonly stamps = new Map<FieldName, number>();
  private ambiguousYear = false;
  private clock = 0;

  private readonly parts: Part[];
  private readonly text: string;
  private readonly now: number;

  constructor(parts: Part[], text: string, now: number) {
    this.parts = parts;
    this.text = text;
    this.now = now;
  }

  private set(field: FieldName, value: number): void {
    this.values.set(field, value);
    this.stamps.set(field, ++this.clock);
  }

  parse(): number | null {
    let position = 0;
    for (let i = 0; i < this.parts.length; i++) {
      const part = this.parts[i] as Part;
      if ('literal' in part) {
        if (!this.text.startsWith(part.literal, position)) return null;
        position += part.literal.length;
        continue;
      }
      const next = this.field(part.letter, part.count, position, isNumeric(this.parts[i + 1]));
      if (next === null) return null;
      position = next;
    }
    let time = this.resolve();
    const centuryStart = this.centuryStart();
    if (this.ambiguousYear && time < centuryStart.epochMillis) {
      this.values.set('year', (this.values.get('year') as number) + 100);
      time = this.resolve();
    }
    return time;
  }

  private centuryStart(): { epochMillis: number; year: number } {
    const now = fieldsOf(this.now);
    const days = dayOf(now.year - 80, now.month, now.dayOfMonth);
    const epochMillis =
      days * MILLIS_PER_DAY + (this.now - Math.floor(this.now / MILLIS_PER_DAY) * MILLIS_PER_DAY);
    return { epochMillis, year: now.year - 80 };
  }

  /** Reads one field at `start`; the position after it, or null when the text does not fit. */
  private field(letter: string, count: number, start: number, obeyCount: boolean): number | null {
    const text = this.text;
    let from = start;
    while (from < text.length && (text[from] === ' ' || text[from] === '\t')) from++;
    if (from >= text.length) return null;
    const number = (): { value: number; next: number } | null => {
      if (!obeyCount) return parseInteger(text, from, text.length);
      if (start + count > text.length) return null;
      return parseInteger(text, from, start + count);
    };
    const named = (field: FieldName, ...lists: (readonly string[])[]): number | null => {
      for (const names of lists) {
        const match = matchName(text, start, names);
        if (match) {
          this.set(field, match.index);
          return match.next;
        }
      }
      return null;
    };
    switch (letter) {
      case 'G':
        return named('era', ERAS);
      case 'y': {
        const parsed = number();
        if (!parsed) return null;
        let year = parsed.value;
        if (count <= 2 && parsed.next - from === 2 && /^\d\d$/.test(text.slice(from, from + 2))) {
          const startYear = this.centuryStart().year;
          const ambiguous = startYear % 100;
          this.ambiguousYear = year === ambiguous;
          year += Math.floor(startYear / 100) * 100 + (year < ambiguous ? 100 : 0);
        }
        this.set('year', year);
        return parsed.next;
      }
      case 'M':
      case 'L': {
        if (count >= 3) return named('month', MONTHS, SHORT_MONTHS);
        const parsed = number();
        if (!parsed) return null;
        this.set('month', parsed.value - 1);
        return parsed.next;
      }
      case 'k':
      case 'h': {
        const parsed = number();
        if (!parsed) return null;
        const wraps = letter === 'k' ? 24 : 12;
        this.set(letter === 'k' ? 'hourOfDay' : 'hour', parsed.value === wraps ? 0 : parsed.value);
        return parsed.next;
      }
      case 'E':
        return named('dayOfWeek', WEEKDAYS, SHORT_WEEKDAYS);
      case 'a':
        return named('amPm', AM_PM);
      case 'u': {
        const parsed = number();
        if (!parsed) return null;
        this.set(
          'dayOfWeek',
          parsed.value === 7 ? 0 : parsed.value >= 1 && parsed.value < 7 ? parsed.value : parsed.value - 1,
        );
        return parsed.next;
      }
      case 'z':
      case 'Z':
        return this.zone(from, start);
      case 'X':
        return this.isoZone(from, count);
      case 'w':
      case 'W':
      case 'Y':
        throw new DataException(
          `Weir cannot parse week-based date fields (pattern letter '${letter}'); use y, M, d or D to parse dates`,
        );
      default: {
        const parsed = number();
        if (!parsed) return null;
        this.set(NUMERIC_FIELDS[letter] as FieldName, parsed.value);
        return parsed.next;
      }
    }
  }

  private setOffset(sign: number, minutes: number): void {
    this.set('zoneOffset', sign * minutes * 60_000);
  }

  /** z and Z: "+hhmm"/"-hhmm", "GMT" with an optional "+h:mm", or the names of UTC. */
  private zone(from: number, start: number): number | null {
    const text = this.text;
    const c = text[from];
    if (c === '+' || c === '-') return this.numericZone(from + 1, c === '+' ? 1 : -1, 0, false);
    if (text.slice(start, start + 3).toUpperCase() === 'GMT' && (c === 'G' || c === 'g')) {
      const after = start + 3;
      const signChar = text[after];
      if (signChar !== '+' && signChar !== '-') {
        this.setOffset(1, 0);
        return after;
      }
      return this.numericZone(after + 1, signChar === '+' ? 1 : -1, 0, true);
    }
    const match = matchName(text, from, ['UTC', 'Coordinated Universal Time', 'GMT', 'Greenwich Mean Time']);
    if (!match) return null;
    this.setOffset(1, 0);
    return match.next;
  }

  private isoZone(from: number, count: number): number | null {
    const c = this.text[from];
    if (c === 'Z') {
      this.setOffset(1, 0);
      return from + 1;
    }
    if (c !== '+' && c !== '-') return null;
    return this.numericZone(from + 1, c === '+' ? 1 : -1, count, count === 3);
  }

  /** SimpleDateFormat.subParseNumericZone: hh, then (unless count is 1) [:]mm. */
  private numericZone(start: number, sign: number, count: number, colon: boolean): number | null {
    const text = this.text;
    const digit = (i: number) => (i < text.length && /\d/.test(text[i] as string) ? Number(text[i]) : null);
    let i = start;
    const first = digit(i++);
    if (first === null || i >= text.length) return null;
    let hours = first;
    const second = digit(i++);
    if (second !== null) hours = hours * 10 + second;
    else if (count > 0 || !colon) return null;
    else i--;
    if (hours > 23) return null;
    let minutes = 0;
    if (count !== 1) {
      if (i >= text.length) return null;
      if (colon) {
        if (text[i++] !== ':') return null;
      }
      const tens = digit(i++);
      const ones = digit(i++);
      if (tens === null || ones === null) return null;
      minutes = tens * 10 + ones;
      if (minutes > 59) return null;
    }
    this.setOffset(sign, hours * 60 + minutes);
    return i;
  }

  private stamp(field: FieldName): number {
    return this.stamps.get(field) ?? 0;
  }

  /** The day Calendar.selectFields picks: day of month, day of week in month, or day of year. */
  private resolveDay(year: number, month: number, dayOfDate: DayOfDate): number {
    const get = (field: FieldName, otherwise: number) => this.values.get(field) ?? otherwise;
    const firstOfMonth = dayOfDate(year, month, 1);
    const dayOfWeek = this.stamp('dayOfWeek');
    const inMonth = this.stamp('dayOfWeekInMonth');
    const dayOfYear = this.stamp('dayOfYear');
    let dayOfMonth = this.stamp('dayOfMonth');
    const weekdayInMonth = inMonth > 0 && dayOfWeek > 0 ? Math.max(inMonth, dayOfWeek) : 0;
    let best = Math.max(dayOfMonth, weekdayInMonth, dayOfYear);
    if (best === 0) {
      // A day of week alone counts as its first one in the month; a month alone as its 1st.
      best = Math.max(inMonth, dayOfWeek);
      if (best === 0) best = dayOfMonth = this.stamp('month');
    }
    if (best === dayOfMonth) return firstOfMonth + get('dayOfMonth', 1) - 1;
    if (best === dayOfYear) return dayOfDate(year, 0, 1) + get('dayOfYear', 1) - 1;
    const weekday = get('dayOfWeek', 0);
    const nth = get('dayOfWeekInMonth', 1);
    const onOrBefore = (day: number) => day - ((((weekdayOf(day) - weekday) % 7) + 7) % 7);
    if (nth >= 0) return onOrBefore(firstOfMonth + 7 * nth - 1);
    return onOrBefore(dayOfDate(year, month + 1, 1) - 1 + 7 * (nth + 1));
  }

  /** HOUR_OF_DAY, or HOUR with AM_PM, whichever was set last. */
  private resolveHours(): number {
    const hourOfDay = this.stamp('hourOfDay');
    const hour = this.stamp('hour');
    const amPm = this.stamp('amPm');
    let best = Math.max(hour > 0 && amPm > 0 ? Math.max(hour, amPm) : 0, hourOfDay);
    if (best === 0) best = Math.max(hour, amPm);
    if (best !== 0 && best === hourOfDay) return this.values.get('hourOfDay') as number;
    return (this.values.get('hour') ?? 0) + 12 * (this.values.get('amPm') ?? 0);
  }

  /** GregorianCalendar.computeTime in lenient mode, with Calendar.selectFields' choice of fields. */
  private resolve(): number {
    const get = (field: FieldName, otherwise: number) => this.values.get(field) ?? otherwise;
    let year = get('year', 1970);
    if (this.values.get('era') === 0) year = 1 - year;
    let month = this.values.has('month') ? get('month', 0) : 0;
    year += Math.floor(month / 12);
    month = ((month % 12) + 12) % 12;
    // As GregorianCalendar: the calendar of the year, and in 1582 the Gregorian date unless it falls
    // before the cutover.
    const gregorian = year >= 1582 ? this.resolveDay(year, month, gregorianDay) : null;
    const day =
      gregorian !== null && (year > 1582 || gregorian >= CUTOVER_DAY)
        ? gregorian
        : this.resolveDay(year, month, julianDay);
    const hours = this.resolveHours();
    const timeOfDay =
      ((hours * 60 + get('minute', 0)) * 60 + get('second', 0)) * 1000 + get('millisecond', 0);
    return day * MILLIS_PER_DAY + timeOfDay - get('zoneOffset', 0);
  }
}
