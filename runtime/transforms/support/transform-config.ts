// The validators and settings Kafka's transforms share, with Java's messages (ConfigException(name,
// value, message) renders a list as [a, b]).
import { ConfigException } from '../../api/index.ts';
import type { ConfigDef, Validator } from '../../api/index.ts';

/** How Java prints a value in "Invalid value … for configuration …": lists as [a, b]. */
export function javaText(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(javaText).join(', ')}]` : String(value);
}

/** new ConfigException(name, value, message), with Java's rendering of the value. */
export function invalidConfig(name: string, value: unknown, message?: string): ConfigException {
  return new ConfigException([
    {
      name,
      message: `Invalid value ${javaText(value)} for configuration ${name}${message === undefined ? '' : `: ${message}`}`,
    },
  ]);
}

/** new ConfigException(message): a message not tied to one setting's value. */
export function configError(name: string, message: string): ConfigException {
  return new ConfigException([{ name, message }]);
}

/** A validator whose problems are thrown as ConfigExceptions, described as Java's toString(). */
export function validator(describe: string, check: (name: string, value: unknown) => void): Validator {
  const v: Validator = (name, value) => check(name, value);
  v.describe = describe;
  return v;
}

/** NonEmptyListValidator (HeaderFrom). */
export const nonEmptyList = (): Validator =>
  validator('non-empty list', (name, value) => {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) {
      throw invalidConfig(name, value ?? null, 'Empty list');
    }
  });

/** ConfigDef.NonEmptyString: null passes, "" does not. */
export const nonEmptyString = (): Validator =>
  validator('non-empty string', (name, value) => {
    if (value === '') throw invalidConfig(name, value, 'String must be non-empty');
  });

export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';
export const REPLACE_NULL_WITH_DEFAULT_DOC =
  'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.';

/** Defines replace.null.with.default (BOOLEAN, true, MEDIUM) as every Kafka transform that has it. */
export function defineReplaceNullWithDefault(def: ConfigDef): ConfigDef {
  return def.define(REPLACE_NULL_WITH_DEFAULT_CONFIG, {
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    documentation: REPLACE_NULL_WITH_DEFAULT_DOC,
  });
}
