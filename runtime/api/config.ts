// Configuration definitions, as org.apache.kafka.common.config.ConfigDef: a plugin declares its
// settings once and the framework parses, validates and documents them (validate and plugin-config
// REST endpoints) from that declaration.
import { ConfigException } from './errors.ts';

export type ConfigType =
  'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';
export type Importance = 'HIGH' | 'MEDIUM' | 'LOW';
export type Width = 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';

/** Throws a ConfigException (use `invalid()`) when `value` is not acceptable for `name`. */
export type Validator = ((name: string, value: unknown) => void) & {
  describe?: string;
  /** A ValidList: ConfigDef drops repeated elements of the list before validating it, as Kafka 4.2+. */
  distinctList?: boolean;
};

export interface ConfigKeyOptions {
  type: ConfigType;
  /** Omit for a required setting; `null` is a valid default. */
  defaultValue?: unknown;
  validator?: Validator;
  importance?: Importance;
  documentation?: string;
  group?: string;
  orderInGroup?: number;
  width?: Width;
  displayName?: string;
  dependents?: string[];
  /** Values the validate endpoint offers for this setting. */
  recommendedValues?: string[];
}

export interface ConfigKey extends ConfigKeyOptions {
  name: string;
  importance: Importance;
  documentation: string;
  width: Width;
  displayName: string;
  dependents: string[];
  orderInGroup: number;
}

/** The result of validating one setting, as in the validate endpoint's `value` objects. */
export interface ConfigValue {
  name: string;
  value: unknown;
  recommendedValues: string[];
  errors: string[];
  visible: boolean;
}

export function invalid(name: string, value: unknown, reason: string): never {
  throw new ConfigException([
    { name, message: `Invalid value ${renderValue(value)} for configuration ${name}: ${reason}` },
  ]);
}

function renderValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

export const Validators = {
  atLeast(min: number): Validator {
    const v: Validator = (name, value) => {
      if (typeof value === 'number' && value < min) invalid(name, value, `Value must be at least ${min}`);
    };
    v.describe = `[${min},...]`;
    return v;
  },
  between(min: number, max: number): Validator {
    const v: Validator = (name, value) => {
      if (typeof value === 'number' && (value < min || value > max)) {
        invalid(name, value, `Value must be between ${min} and ${max}`);
      }
    };
    v.describe = `[${min},...,${max}]`;
    return v;
  },
  in(...allowed: string[]): Validator {
    const v: Validator = (name, value) => {
      if (value !== null && !allowed.includes(String(value))) {
        invalid(name, value, `String must be one of: ${allowed.join(', ')}`);
      }
    };
    v.describe = `[${allowed.join(', ')}]`;
    return v;
  },
  inIgnoreCase(...allowed: string[]): Validator {
    const lower = allowed.map((a) => a.toLowerCase());
    const v: Validator = (name, value) => {
      if (value !== null && !lower.includes(String(value).toLowerCase())) {
        invalid(name, value, `String must be one of (case insensitive): ${allowed.join(', ')}`);
      }
    };
    v.describe = `(case insensitive) [${allowed.join(', ')}]`;
    return v;
  },
  nonEmptyString(): Validator {
    const v: Validator = (name, value) => {
      if (typeof value !== 'string' || value.trim() === '') invalid(name, value, 'String must be non-empty');
    };
    v.describe = 'non-empty string';
    return v;
  },
  nonNull(): Validator {
    const v: Validator = (name, value) => {
      if (value === null || value === undefined) invalid(name, value, 'entry must be non null');
    };
    v.describe = 'non-null string';
    return v;
  },
  /** Every element of a LIST setting passes `each`. */
  list(each: Validator): Validator {
    const v: Validator = (name, value) => {
      if (Array.isArray(value)) for (const element of value) each(name, element);
    };
    v.describe = each.describe;
    return v;
  },
  /** ConfigDef.ValidList.anyNonDuplicateValues: a LIST with no repeated and no empty element. */
  anyNonDuplicateValues(isEmptyAllowed: boolean, isNullAllowed: boolean): Validator {
    const fail = (name: string, message: string): never => {
      throw new ConfigException([{ name, message }]);
    };
    const v: Validator = (name, value) => {
      if (value === null || value === undefined) {
        if (isNullAllowed) return;
        fail(name, `Configuration '${name}' values must not be null.`);
      }
      const values = value as unknown[];
      if (!isEmptyAllowed && values.length === 0) {
        fail(name, `Configuration '${name}' must not be empty. Valid values include: any non-empty value`);
      }
      if (new Set(values).size !== values.length)
        fail(name, `Configuration '${name}' values must not be duplicated.`);
      if (values.includes('')) fail(name, `Configuration '${name}' values must not be empty.`);
    };
    v.describe = '';
    v.distinctList = true;
    return v;
  },
  compose(...validators: Validator[]): Validator {
    return (name, value) => validators.forEach((validator) => validator(name, value));
  },
};

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Parses a raw setting (as read from a properties file or JSON) into its type. */
export function parseType(name: string, raw: unknown, type: ConfigType): unknown {
  if (raw === null || raw === undefined) return null;
  const text = typeof raw === 'string' ? raw.trim() : raw;
  const expected = (what: string): never =>
    invalid(name, raw, `Expected value to be ${what}, but it was a ${typeof raw}`);
  switch (type) {
    case 'BOOLEAN':
      if (typeof text === 'boolean') return text;
      if (typeof text === 'string' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      return invalid(name, raw, 'Expected value to be either true or false');
    case 'STRING':
    case 'CLASS':
    case 'PASSWORD':
      if (typeof raw === 'string') return type === 'STRING' ? raw.trim() : raw.trim();
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      return expected('a string');
    case 'INT':
    case 'SHORT':
    case 'LONG': {
      const number =
        typeof text === 'number'
          ? text
          : typeof text === 'string' && /^[-+]?\d+$/.test(text)
            ? Number(text)
            : NaN;
      // Java's Integer.parseInt & co. fail with a NumberFormatException, which ConfigDef words so.
      const outOfRange =
        !Number.isSafeInteger(number) ||
        (type === 'INT' && (number < INT32_MIN || number > INT32_MAX)) ||
        (type === 'SHORT' && (number < -32768 || number > 32767));
      if (typeof raw === 'string' && outOfRange) return invalid(name, raw, `Not a number of type ${type}`);
      if (!Number.isSafeInteger(number))
        return expected(
          `a 32-bit integer`.replace(
            '32-bit',
            type === 'LONG' ? '64-bit' : type === 'SHORT' ? '16-bit' : '32-bit',
          ),
        );
      if (type === 'INT' && (number < INT32_MIN || number > INT32_MAX)) return expected('a 32-bit integer');
      if (type === 'SHORT' && (number < -32768 || number > 32767)) return expected('a 16-bit integer');
      return number;
    }
    case 'DOUBLE': {
      const number =
        typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
      if (Number.isNaN(number)) {
        return typeof raw === 'string'
          ? invalid(name, raw, 'Not a number of type DOUBLE')
          : expected('a double');
      }
      return number;
    }
    case 'LIST':
      if (Array.isArray(raw)) return raw.map(String);
      if (typeof text !== 'string') return expected('a comma-separated list');
      return text === '' ? [] : text.split(/\s*,\s*/);
  }
}

/** Renders a parsed value the way Java Connect shows it in REST bodies (lists comma-joined). */
export function renderConfigValue(value: unknown, type: ConfigType): string | null {
  if (value === null || value === undefined) return null;
  if (type === 'PASSWORD') return '[hidden]';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

export class ConfigDef {
  private readonly keys = new Map<string, ConfigKey>();

  define(name: string, options: ConfigKeyOptions): this {
    if (this.keys.has(name))
      throw new ConfigException(name, undefined, `Configuration ${name} is defined twice.`);
    const key: ConfigKey = {
      importance: 'MEDIUM',
      documentation: '',
      width: 'NONE',
      displayName: name,
      dependents: [],
      orderInGroup: -1,
      ...options,
      name,
    };
    if (key.defaultValue !== undefined && key.defaultValue !== null) {
      key.defaultValue = parseType(name, key.defaultValue, key.type);
    }
    this.keys.set(name, key);
    return this;
  }

  /** All keys of another definition (later definitions win), as ConfigDef(ConfigDef) in Java. */
  merge(other: ConfigDef): this {
    for (const key of other.configKeys()) this.keys.set(key.name, key);
    return this;
  }

  configKeys(): ConfigKey[] {
    return [...this.keys.values()];
  }

  key(name: string): ConfigKey | undefined {
    return this.keys.get(name);
  }

  names(): string[] {
    return [...this.keys.keys()];
  }

  groups(): string[] {
    return [...new Set(this.configKeys().flatMap((k) => (k.group ? [k.group] : [])))];
  }

  /**
   * Parses and validates every defined setting. Throws one ConfigException listing every problem;
   * settings that are not defined are passed over.
   */
  parse(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    const problems: { name: string; message: string }[] = [];
    for (const result of this.validateAll(props).values()) {
      values[result.name] = result.value;
      for (const message of result.errors) problems.push({ name: result.name, message });
    }
    if (problems.length > 0) throw new ConfigException(problems);
    return values;
  }

  /** One ConfigValue per defined setting, with every error found; never throws. */
  validateAll(props: Readonly<Record<string, unknown>>): Map<string, ConfigValue> {
    const results = new Map<string, ConfigValue>();
    for (const key of this.keys.values()) {
      const result: ConfigValue = {
        name: key.name,
        value: null,
        recommendedValues: key.recommendedValues ?? [],
        errors: [],
        visible: true,
      };
      results.set(key.name, result);
      const present = Object.hasOwn(props, key.name) && props[key.name] !== undefined;
      if (!present && key.defaultValue === undefined) {
        result.errors.push(`Missing required configuration "${key.name}" which has no default value.`);
        continue;
      }
      try {
        result.value = present ? parseType(key.name, props[key.name], key.type) : key.defaultValue;
        if (key.validator?.distinctList && Array.isArray(result.value))
          result.value = [...new Set(result.value)];
        key.validator?.(key.name, result.value);
      } catch (error) {
        result.errors.push(...messagesOf(error));
      }
    }
    return results;
  }
}

function messagesOf(error: unknown): string[] {
  if (error instanceof ConfigException) return error.problems.map((p) => p.message);
  return [error instanceof Error ? error.message : String(error)];
}
