// Java's text forms of numbers, as Double.toString, Float.toString and BigDecimal's toString and
// string constructor: converters and transforms print and parse numbers exactly as Java Connect does.
import type { Decimal } from './schema.ts';

/** Double.toString: the shortest digits that round-trip, plain in [1e-3, 1e7), else d.dddE±n. */
export function formatDouble(x: number): string {
  if (!Number.isFinite(x) || x === 0) return special(x);
  return javaNotation(pickDigits(x, x.toExponential()));
}

/** Float.toString for a value held as a JS number (rounded to float32 first). */
export function formatFloat(value: number): string {
  const x = Math.fround(value);
  if (!Number.isFinite(x) || x === 0) return special(x);
  for (let precision = 0; precision < 9; precision++) {
    const candidate = x.toExponential(precision);
    if (Math.fround(Number(candidate)) === x) return javaNotation(pickDigits(x, candidate));
  }
  return javaNotation(x.toExponential(8));
}

function special(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return Object.is(x, -0) ? '-0.0' : '0.0';
}

/** Java never prints a single significant digit: it picks the closest two-digit decimal instead. */
function pickDigits(x: number, shortest: string): string {
  return /^-?\de/.test(shortest) ? x.toExponential(1) : shortest;
}

/** Renders JS exponential notation ("-1.25e+7") the way Java's Double.toString lays it out. */
function javaNotation(exponential: string): string {
  const negative = exponential.startsWith('-');
  const [mantissa = '', exp = '0'] = (negative ? exponential.slice(1) : exponential).split('e');
  const exponent = Number(exp);
  const digits = mantissa.replace('.', '').replace(/(?<=.)0+$/, '');
  let text: string;
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      text = `${whole}.${digits.slice(exponent + 1) || '0'}`;
    } else {
      text = `0.${'0'.repeat(-exponent - 1)}${digits}`;
    }
  } else {
    text = `${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
  }
  return negative ? `-${text}` : text;
}

/** BigDecimal.toString: plain when the scale is non-negative and the exponent ≥ -6, else scientific. */
export function formatDecimal(value: Decimal): string {
  const negative = value.unscaled < 0n;
  const digits = (negative ? -value.unscaled : value.unscaled).toString();
  const adjusted = -value.scale + (digits.length - 1);
  let text: string;
  if (value.scale >= 0 && adjusted >= -6) {
    if (value.scale === 0) text = digits;
    else if (digits.length > value.scale)
      text = `${digits.slice(0, digits.length - value.scale)}.${digits.slice(digits.length - value.scale)}`;
    else text = `0.${'0'.repeat(value.scale - digits.length)}${digits}`;
  } else {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    text = `${digits[0]}${fraction}E${adjusted > 0 ? '+' : ''}${adjusted}`;
  }
  return negative ? `-${text}` : text;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** new BigDecimal(text): the exact unscaled value and scale, or undefined when it is not a number. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const scale = fraction.length - Number(exponent);
  if (!Number.isSafeInteger(scale) || Math.abs(scale) > 2_147_483_647) return undefined;
  const unscaled = BigInt(`${whole}${fraction}` || '0');
  return { unscaled: sign === '-' ? -unscaled : unscaled, scale };
}
