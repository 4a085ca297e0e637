// The en_US names SimpleDateFormat writes and reads, and its compiled pattern: literal text and
// pattern letters with their counts.

export const PATTERN_LETTERS = 'GyMdkHmsSEDFwWahKzZYuXL';
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const SHORT_MONTHS = MONTHS.map((m) => m.slice(0, 3));
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const SHORT_WEEKDAYS = WEEKDAYS.map((d) => d.slice(0, 3));
export const ERAS = ['BC', 'AD'];
export const AM_PM = ['AM', 'PM'];

export type Part = { literal: string } | { letter: string; count: number };
