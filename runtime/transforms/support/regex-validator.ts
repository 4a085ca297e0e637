// Kafka's RegexValidator ("valid regex"): the setting must compile as a Java regular expression.
import { invalid, type Validator } from '../../api/index.ts';
import { JavaPattern } from './java-regex.ts';

export function regexValidator(): Validator {
  const v: Validator = (name, value) => {
    try {
      new JavaPattern(value as string);
    } catch (error) {
      invalid(name, value, `Invalid regex: ${(error as Error).message}`);
    }
  };
  v.describe = 'valid regex';
  return v;
}
