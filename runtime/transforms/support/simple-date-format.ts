// java.text.SimpleDateFormat in UTC with the en_US locale, as Kafka's TimestampConverter and
// TimestampRouter use it: Java's pattern letters and quoting, Java's formatting, and Java's lenient
// parsing (leading blanks before numbers, abutting numeric fields taking exactly their width,
// two-digit years in the 80 years before and 20 after now, out-of-range fields rolling over, text
// after the pattern ignored).
//
// Where Weir differs: parsing a time zone by name (z or Z) knows only UTC and GMT, where Java knows
// every zone's names; parsing week fields (w, W, Y) is refused with a DataException.
import { IllegalArgumentException } from './java-exceptions.ts';
import { fieldsOf, type CalendarFields } from './calendar.ts';
import { DateParser } from './date-parser.ts';
import {
  AM_PM,
  ERAS,
  MONTHS,
  PATTERN_LETTERS,
  SHORT_MONTHS,
  SHORT_WEEKDAYS,
  WEEKDAYS,
  type Part,
} from './date-symbols.ts';

function compile(pattern: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let inQuote = false;
  const flush = () => {
    if (literal !== '') parts.push({ literal });
    literal = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'";
        i++;
      } else {
        inQuote = !inQuote;
      }
      continue;
    }
    if (inQuote || !/[A-Za-z]/.test(c)) {
      literal += c;
      continue;
    }
    if (!PATTERN_LETTERS.includes(c)) throw new IllegalArgumentException(`Illegal pattern character '${c}'`);
    let count = 1;
    while (pattern[i + 1] === c) {
      count++;
      i++;
    }
    if (c === 'X' && count >= 4)
      throw new IllegalArgumentException(`invalid ISO 8601 format: length=${count}`);
    flush();
    parts.push({ letter: c, count });
  }
  if (inQuote) throw new IllegalArgumentException('Unterminated quote');
  flush();
  return parts;
}

/** DecimalFormat with a minimum number of digits: the sign comes before the zeros. */
const pad = (value: number, width: number): string =>
  value < 0 ? `-${String(-value).padStart(width, '0')}` : String(value).padStart(width, '0');

function formatField(letter: string, count: number, f: CalendarFields): string {
  const yearOfEra = f.year > 0 ? f.year : 1 - f.year;
  switch (letter) {
    case 'G':
      return ERAS[f.year > 0 ? 1 : 0] as string;
    case 'y':
    case 'Y': {
      const year = letter === 'y' ? yearOfEra : f.weekYear;
      return count === 2 ? pad(year % 100, 2) : pad(year, count);
    }
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[f.month] as string;
      return count === 3 ? (SHORT_MONTHS[f.month] as string) : pad(f.month + 1, count);
    case 'd':
      return pad(f.dayOfMonth, count);
    case 'k':
      return pad(f.hourOfDay === 0 ? 24 : f.hourOfDay, count);
    case 'H':
      return pad(f.hourOfDay, count);
    case 'm':
      return pad(f.minute, count);
    case 's':
      return pad(f.second, count);
    case 'S':
      return pad(f.millisecond, count);
    case 'E':
      return (count >= 4 ? WEEKDAYS : SHORT_WEEKDAYS)[f.dayOfWeek - 1] as string;
    case 'u':
      return pad(f.dayOfWeek === 1 ? 7 : f.dayOfWeek - 1, count);
    case 'D':
      return pad(f.dayOfYear, count);
    case 'F':
      return pad(f.dayOfWeekInMonth, count);
    case 'w':
      return pad(f.weekOfYear, count);
    case 'W':
      return pad(f.weekOfMonth, count);
    case 'a':
      return AM_PM[f.hourOfDay < 12 ? 0 : 1] as string;
    case 'h':
      return pad(f.hourOfDay % 12 === 0 ? 12 : f.hourOfDay % 12, count);
    case 'K':
      return pad(f.hourOfDay % 12, count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    default: // 'X': an offset of zero is written Z
      return 'Z';
  }
}

export class SimpleDateFormat {
  private readonly pattern: string;
  private readonly parts: Part[];

  /** Throws IllegalArgumentException, with Java's message, for a pattern Java refuses. */
  constructor(pattern: string) {
    this.pattern = pattern;
    this.parts = compile(pattern);
  }

  toPattern(): string {
    return this.pattern;
  }

  format(epochMillis: number): string {
    const fields = fieldsOf(epochMillis);
    return this.parts
      .map((part) => ('literal' in part ? part.literal : formatField(part.letter, part.count, fields)))
      .join('');
  }

  /**
   * The epoch milliseconds `text` stands for, read from its start (what follows the pattern is
   * ignored), or null where Java's parse(String) throws ParseException.
   */
  parse(text: string, now: number = Date.now()): number | null {
    return new DateParser(this.parts, text, now).parse();
  }
}
