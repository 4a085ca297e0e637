// java.util.GregorianCalendar's arithmetic in UTC, as SimpleDateFormat uses it: Julian dates before
// the Gregorian cutover (1582-10-15), eras, and the week fields of the en_US locale (weeks start on
// Sunday; the week holding 1 January is week 1). Days are counted from 1970-01-01.

export const MILLIS_PER_DAY = 86_400_000;
/** 1582-10-15, the first Gregorian day (GregorianCalendar's default cutover). */
export const CUTOVER_DAY = -141_427;

export interface CalendarFields {
  /** Proleptic year: 1 BC is 0. */
  year: number;
  /** 0 = January, as in java.util.Calendar. */
  month: number;
  dayOfMonth: number;
  dayOfYear: number;
  /** 1 = Sunday … 7 = Saturday, as Calendar.DAY_OF_WEEK. */
  dayOfWeek: number;
  weekOfYear: number;
  weekYear: number;
  weekOfMonth: number;
  /** Counts the days the month really has: 1582-10-15 is in the first week of its month. */
  dayOfWeekInMonth: number;
  hourOfDay: number;
  minute: number;
  second: number;
  millisecond: number;
}

export function gregorianDay(year: number, month: number, day: number): number {
  const y = month <= 1 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const marchMonth = (month + 10) % 12;
  const dayOfYear = Math.floor((153 * marchMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function julianDay(year: number, month: number, day: number): number {
  const a = Math.floor((13 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 1 + 12 * a - 3;
  const julianDayNumber = day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - 32_083;
  return julianDayNumber - 2_440_588;
}

/** The day of a date in the calendar in force then (Gregorian from the cutover, else Julian). */
export function dayOf(year: number, month: number, day: number): number {
  const gregorian = gregorianDay(year, month, day);
  return gregorian >= CUTOVER_DAY ? gregorian : julianDay(year, month, day);
}

function dateOf(days: number): { year: number; month: number; day: number } {
  if (days >= CUTOVER_DAY) {
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const dayOfEra = z - era * 146_097;
    const yearOfEra = Math.floor(
      (dayOfEra -
        Math.floor(dayOfEra / 1460) +
        Math.floor(dayOfEra / 36_524) -
        Math.floor(dayOfEra / 146_096)) /
        365,
    );
    const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
    const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
    const month = marchMonth < 10 ? marchMonth + 2 : marchMonth - 10;
    return { year: yearOfEra + era * 400 + (month <= 1 ? 1 : 0), month, day };
  }
  const c = days + 2_440_588 + 32_082;
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    year: d - 4800 + Math.floor(m / 10),
    month: m + 2 - 12 * Math.floor(m / 10),
    day: e - Math.floor((153 * m + 2) / 5) + 1,
  };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** The first day of the week (a Sunday) that holds `days`. */
export function weekStart(days: number): number {
  return days - weekdayOf(days);
}

export function fieldsOf(epochMillis: number): CalendarFields {
  const days = Math.floor(epochMillis / MILLIS_PER_DAY);
  const millisOfDay = epochMillis - days * MILLIS_PER_DAY;
  const { year, month, day } = dateOf(days);
  const firstOfYear = dayOf(year, 0, 1);
  const firstOfMonth = dayOf(year, month, 1);
  let weekYear = year;
  let weekOfYear = Math.floor((days - weekStart(firstOfYear)) / 7) + 1;
  if (days >= weekStart(dayOf(year + 1, 0, 1))) {
    weekYear = year + 1;
    weekOfYear = 1;
  }
  return {
    year,
    month,
    dayOfMonth: day,
    dayOfYear: days - firstOfYear + 1,
    dayOfWeek: weekdayOf(days) + 1,
    weekOfYear,
    weekYear,
    weekOfMonth: Math.floor((days - weekStart(firstOfMonth)) / 7) + 1,
    dayOfWeekInMonth: Math.floor((days - firstOfMonth) / 7) + 1,
    hourOfDay: Math.floor(millisOfDay / 3_600_000),
    minute: Math.floor(millisOfDay / 60_000) % 60,
    second: Math.floor(millisOfDay / 1000) % 60,
    millisecond: millisOfDay % 1000,
  };
}
