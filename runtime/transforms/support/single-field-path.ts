// Field paths (KIP-821): field.syntax.version V1 names one top-level field; V2 walks nested structs
// and maps with dots, backticks around names that hold dots (org.apache.kafka.connect.transforms.
// field.SingleFieldPath and FieldSyntaxVersion).
import { ConfigException, fieldOf, lookUpField, Validators } from '../../api/index.ts';
import type { ConfigDef, Field, Schema, Struct } from '../../api/index.ts';
import { requireMapOrNull, requireStructOrNull } from './requirements.ts';
import type { SchemalessMap } from './requirements.ts';
import { invalidConfig } from './transform-config.ts';

export type FieldSyntaxVersion = 'V1' | 'V2';

export const FIELD_SYNTAX_VERSION_CONFIG = 'field.syntax.version';
export const FIELD_SYNTAX_VERSION_DOC =
  'Defines the version of the syntax to access fields. ' +
  'If set to <code>V1</code>, then the field paths are limited to access the elements at the root level of the struct or map. ' +
  'If set to <code>V2</code>, the syntax will support accessing nested elements. ' +
  'To access nested elements, dotted notation is used. ' +
  'If dots are already included in the field name, ' +
  'then backtick pairs can be used to wrap field names containing dots. ' +
  'E.g. to access the subfield <code>baz</code> from a field named "foo.bar" in a struct/map ' +
  'the following format can be used to access its elements: "<code>foo.bar</code>.baz".';

/** Adds field.syntax.version (STRING, V1, case-insensitive V1|V2, HIGH), as FieldSyntaxVersion.appendConfigTo. */
export function appendFieldSyntaxVersionConfig(def: ConfigDef): ConfigDef {
  return def.define(FIELD_SYNTAX_VERSION_CONFIG, {
    type: 'STRING',
    defaultValue: 'V1',
    validator: Validators.inIgnoreCase('V1', 'V2'),
    importance: 'HIGH',
    documentation: FIELD_SYNTAX_VERSION_DOC,
  });
}

export function fieldSyntaxVersionOf(value: string): FieldSyntaxVersion {
  const upper = value.toUpperCase();
  if (upper === 'V1' || upper === 'V2') return upper;
  throw invalidConfig(FIELD_SYNTAX_VERSION_CONFIG, value, 'Unrecognized field syntax version');
}

export class SingleFieldPath {
  readonly steps: readonly string[];
  readonly version: FieldSyntaxVersion;

  constructor(path: string, version: FieldSyntaxVersion) {
    this.version = version;
    this.steps = version === 'V1' ? [path] : parseV2(path);
  }

  /** The field at this path in `schema`, or undefined. */
  fieldFrom(schema: Schema | null): Field | undefined {
    if (schema === null) return undefined;
    let current = schema;
    for (const step of this.steps.slice(0, -1)) {
      const field = lookUpField(current, step);
      if (!field) return undefined;
      current = field.schema;
    }
    return lookUpField(current, this.lastStep);
  }

  /** The value at this path in a struct (null when absent), with or without field defaults. */
  valueFromStruct(struct: Struct | null, withDefault = true): unknown {
    let current = struct;
    if (current === null) return null;
    for (const step of this.steps.slice(0, -1)) {
      if (!fieldOf(current.schema, step)) return null;
      current = requireStructOrNull(current.get(step), 'nested field access');
      if (current === null) return null;
    }
    if (!fieldOf(current.schema, this.lastStep)) return null;
    return withDefault ? current.get(this.lastStep) : current.getWithoutDefault(this.lastStep);
  }

  /** The value at this path in a schemaless map (null when absent). */
  valueFromMap(map: SchemalessMap | null): unknown {
    let current = map;
    if (current === null) return null;
    for (const step of this.steps.slice(0, -1)) {
      current = requireMapOrNull(current.get(step), 'nested field access');
      if (current === null) return null;
    }
    return current.get(this.lastStep) ?? null;
  }

  private get lastStep(): string {
    return this.steps[this.steps.length - 1] as string;
  }
}

function incompleteBacktickPair(path: string, backtickAt: number): ConfigException {
  return new ConfigException([
    {
      name: 'field',
      message: `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${backtickAt} to escape it`,
    },
  ]);
}

/** Splits a V2 path at dots; a step in backticks may hold dots, and \` inside it is a backtick. */
function parseV2(path: string): string[] {
  const steps: string[] = [];
  let idx = 0;
  while (idx < path.length && idx >= 0) {
    if (path[idx] !== '`') {
      const start = idx;
      idx = path.indexOf('.', idx);
      if (idx >= 0) {
        steps.push(path.slice(start, idx));
        idx++;
      } else {
        steps.push(path.slice(start));
      }
      continue;
    }
    const backtickAt = idx;
    idx++;
    let field = '';
    let start = idx;
    for (;;) {
      idx = path.indexOf('`', idx);
      if (idx === -1) throw incompleteBacktickPair(path, backtickAt);
      const escaped = path[idx - 1] === '\\';
      if (idx >= path.length - 1) {
        if (escaped) throw incompleteBacktickPair(path, backtickAt);
        field += path.slice(start, idx);
        steps.push(field);
        idx++;
        break;
      }
      // A backtick not followed by a dot belongs to the name; look further for the closing one.
      if (path[idx + 1] !== '.') {
        idx++;
        continue;
      }
      if (escaped) {
        field += `${path.slice(start, idx - 1)}\``;
        idx++;
        start = idx;
        continue;
      }
      field += path.slice(start, idx);
      steps.push(field);
      idx += 2;
      break;
    }
  }
  if (path.length > 0 && path.endsWith('.')) steps.push('');
  return steps;
}
