// A small builder for the OpenAPI v3 schemas of CustomResourceDefinitions. Every builder takes the
// field's description first, so no field can be left without one (kubectl explain prints them).

/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps the CRDs use, with their JSON names. */
export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
  items?: Schema;
  required?: string[];
  enum?: (string | number | boolean)[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: ValidationRule[];
  anyOf?: Omit<Schema, 'description'>[];
}

/** A CEL rule (x-kubernetes-validations entry). */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  /** JSONPath of the field the API server reports, e.g. `.config`. */
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

type Extra = Omit<Schema, 'description' | 'type' | 'properties' | 'items' | 'additionalProperties'>;

export const str = (description: string, extra: Extra = {}): Schema => ({
  type: 'string',
  description,
  ...extra,
});

export const int = (description: string, extra: Extra = {}): Schema => ({
  type: 'integer',
  description,
  ...extra,
});

export const bool = (description: string, extra: Extra = {}): Schema => ({
  type: 'boolean',
  description,
  ...extra,
});

export const obj = (
  description: string,
  properties: Record<string, Schema>,
  extra: Extra & { required?: string[] } = {},
): Schema => ({ type: 'object', description, properties, ...extra });

export const arr = (description: string, items: Schema, extra: Extra = {}): Schema => ({
  type: 'array',
  description,
  items,
  ...extra,
});

/** A map with string keys. */
export const map = (description: string, values: Schema, extra: Extra = {}): Schema => ({
  type: 'object',
  description,
  additionalProperties: values,
  ...extra,
});

/**
 * An embedded Kubernetes object kept as written; the API server checks it when the operator applies
 * the object it goes into, and the resource's status reports what it refused.
 */
export const kubeObject = (description: string, kubeType: string): Schema => ({
  type: 'object',
  description: `${description} (Kubernetes ${kubeType}, as in a pod spec).`,
  'x-kubernetes-preserve-unknown-fields': true,
});

/** A Kubernetes quantity, e.g. 500m, 1Gi or 2. */
export const quantity = (description: string): Schema => ({
  description,
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern:
    '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
});

/**
 * Worker or connector properties: string keys, scalar values (string, number, boolean) as users
 * write YAML. CRD CEL cannot iterate the keys of a map whose values have mixed types, so the key
 * rules live in the ValidatingAdmissionPolicy (policy.ts) and the operator checks them again.
 */
export const propertyMap = (description: string): Schema => ({
  type: 'object',
  description,
  maxProperties: 1024,
  'x-kubernetes-preserve-unknown-fields': true,
});

/** CEL: `k` is one of `exact`, or starts with one of `prefixes`, or ends with one of `suffixes`. */
export function celKeyMatches(
  {
    exact = [],
    prefixes = [],
    suffixes = [],
  }: { exact?: string[]; prefixes?: string[]; suffixes?: string[] },
  k = 'k',
): string {
  const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const parts = [
    ...(exact.length > 0 ? [`${k} in [${exact.map(quote).join(', ')}]`] : []),
    ...prefixes.map((p) => `${k}.startsWith(${quote(p)})`),
    ...suffixes.map((s) => `${k}.endsWith(${quote(s)})`),
  ];
  return parts.length === 0 ? 'false' : `(${parts.join(' || ')})`;
}

/** Walks a schema depth-first, calling `visit` with each field's dotted path. */
export function walkSchema(schema: Schema, visit: (path: string, s: Schema) => void, path = ''): void {
  visit(path, schema);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    walkSchema(child, visit, path === '' ? name : `${path}.${name}`);
  }
  if (schema.items) walkSchema(schema.items, visit, `${path}[]`);
  if (schema.additionalProperties) walkSchema(schema.additionalProperties, visit, `${path}{}`);
}
