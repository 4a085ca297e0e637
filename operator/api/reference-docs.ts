// docs/resources.md, built from the same CRD and admission-policy objects crds/*.yaml is written from,
// plus the names of the labels, annotations and objects the operator uses (imported from the modules
// that use them, so the reference cannot drift from the code). generate-docs.ts writes the file;
// reference-docs.test.ts fails when the committed file differs.
import type { CustomResourceDefinition, PrinterColumn } from './crds.ts';
import { kafkaConnectCrd, kafkaConnectorCrd } from './crds.ts';
import type { Schema, ValidationRule } from './openapi.ts';
import { kafkaConnectorPolicy, kafkaConnectPolicy, type AdmissionPolicy } from './policy.ts';
import { CONNECTOR_OWNED_KEYS, describeKeys, OPERATOR_OWNED_WORKER_KEYS } from './reserved-keys.ts';
import { CLUSTER_LABEL } from './types.ts';
import {
  ADMIN_TOKEN_KEY,
  CONFIG_HASH_ANNOTATION,
  connectLabels,
  connectNames,
  KIND_LABEL,
  LOG_PROPERTIES,
  REST_PORT,
  REST_TOKEN_KEY,
  WORKER_PROPERTIES,
} from '../model/names.ts';
import { RESTART_ANNOTATION, RESTART_TASK_ANNOTATION } from '../model/auto-restart.ts';
import { CREATED_ANNOTATION, FINALIZER } from '../controllers/kafka-connector.ts';

export const REGENERATE = 'npx node operator/api/generate-docs.ts';

/**
 * Text for a Markdown table cell: one line; outside code spans no HTML and no accidental emphasis;
 * pipes escaped everywhere (GitHub splits table rows on them even inside code spans).
 */
export function cell(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part.replace(/\|/g, '\\|')
        : part
            .replace(/\\/g, '\\\\')
            .replace(/\|/g, '\\|')
            .replace(/\*/g, '\\*')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;'),
    )
    .join('');
}

const code = (s: string) => `\`${s}\``;

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** A leaf whose type folds into its parent's (array items, map values). */
function isScalar(s: Schema): boolean {
  return s.type !== 'object' && s.type !== 'array';
}

function typeOf(s: Schema): string {
  if (s['x-kubernetes-int-or-string']) return 'quantity (integer or string)';
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object') {
    if (s.additionalProperties) return `map of string to ${typeOf(s.additionalProperties)}`;
    if (s['x-kubernetes-preserve-unknown-fields'] && !s.properties) return 'object (free-form)';
    return 'object';
  }
  const format = s.format === 'int32' || s.format === 'int64' ? ` (${s.format})` : '';
  return `${s.type ?? 'any'}${format}`;
}

/** The constraints of one schema node, as short phrases. */
function constraints(s: Schema): string[] {
  const out: string[] = [];
  if (s.enum) out.push(`one of ${s.enum.map((v) => code(v === '' ? '""' : String(v))).join(', ')}`);
  if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) out.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined && s.maxLength !== undefined)
    out.push(`${s.minLength}–${s.maxLength} characters`);
  else if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
  else if (s.minLength !== undefined) out.push(`at least ${s.minLength} character(s)`);
  if (s.minItems !== undefined) out.push(`at least ${s.minItems} items`);
  if (s.maxItems !== undefined) out.push(`at most ${s.maxItems} items`);
  if (s.maxProperties !== undefined) out.push(`at most ${s.maxProperties} entries`);
  if (s['x-kubernetes-int-or-string']) out.push('a Kubernetes quantity, e.g. `500m`, `1Gi`');
  else if (s.pattern) out.push(`matches ${code(s.pattern)}`);
  if (s.format === 'date-time') out.push('RFC 3339 time');
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') out.push('no duplicates');
  if (listType === 'map') out.push(`one entry per ${(s['x-kubernetes-list-map-keys'] ?? []).join(', ')}`);
  for (const rule of s['x-kubernetes-validations'] ?? []) out.push(`rule: ${rule.message ?? rule.rule}`);
  return out;
}

function validation(s: Schema): string {
  const own = constraints(s);
  const inner = s.items ?? s.additionalProperties;
  const folded = inner && isScalar(inner) ? constraints(inner) : [];
  const what = s.items ? 'each item' : 'each value';
  return [...own, ...(folded.length > 0 ? [`${what}: ${folded.join(', ')}`] : [])].map(cell).join('; ');
}

function defaultOf(s: Schema): string {
  return s.default === undefined ? '' : code(JSON.stringify(s.default).replace(/^"(.*)"$/, '$1'));
}

interface FieldRow {
  path: string;
  schema: Schema;
  required: boolean;
}

/** Every field below `schema`, depth first; array items and map values of scalars fold into their parent. */
export function fieldRows(schema: Schema, prefix: string): FieldRow[] {
  const rows: FieldRow[] = [];
  const walk = (s: Schema, path: string, required: boolean) => {
    rows.push({ path, schema: s, required });
    for (const [name, child] of Object.entries(s.properties ?? {})) {
      walk(child, `${path}.${name}`, (s.required ?? []).includes(name));
    }
    if (s.items && !isScalar(s.items)) {
      for (const [name, child] of Object.entries(s.items.properties ?? {})) {
        walk(child, `${path}[].${name}`, (s.items.required ?? []).includes(name));
      }
    }
    if (s.additionalProperties && !isScalar(s.additionalProperties)) {
      walk(s.additionalProperties, `${path}.<key>`, false);
    }
  };
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    walk(child, `${prefix}.${name}`, (schema.required ?? []).includes(name));
  }
  return rows;
}

function fieldTable(schema: Schema, prefix: string): string {
  const rows = fieldRows(schema, prefix).map((r) => [
    cell(code(r.path)),
    cell(typeOf(r.schema)),
    r.required ? 'yes' : '',
    cell(defaultOf(r.schema)),
    cell(r.schema.description),
    validation(r.schema),
  ]);
  return table(['Field', 'Type', 'Required', 'Default', 'Description', 'Validation'], rows);
}

/** Every CEL rule in the schema, with the path it sits on. */
function celRules(schema: Schema, path: string): { path: string; rule: ValidationRule }[] {
  const out = (schema['x-kubernetes-validations'] ?? []).map((rule) => ({ path, rule }));
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    out.push(...celRules(child, path === '' ? name : `${path}.${name}`));
  }
  if (schema.items) out.push(...celRules(schema.items, `${path}[]`));
  if (schema.additionalProperties) out.push(...celRules(schema.additionalProperties, `${path}.<key>`));
  return out;
}

/** A default on a whole object (the API server fills it in when the object is absent). */
function objectDefault(s: Schema, name: string): string {
  return s.default === undefined
    ? ''
    : ` Until it is written, \`${name}\` defaults to \`${JSON.stringify(s.default)}\`.`;
}

function columnsTable(columns: PrinterColumn[]): string {
  return table(
    ['Column', 'JSONPath', 'Type', 'Shown', 'Description'],
    columns.map((c) => [
      cell(c.name),
      cell(code(c.jsonPath)),
      c.type,
      c.priority ? '`-o wide`' : 'always',
      cell(c.description),
    ]),
  );
}

function crdSection(crd: CustomResourceDefinition): string {
  const version = crd.spec.versions[0]!;
  const root = version.schema.openAPIV3Schema;
  const { names } = crd.spec;
  const scale = version.subresources.scale;
  const scaleText = [
    `spec ${code(scale.specReplicasPath)}`,
    `status ${code(scale.statusReplicasPath)}`,
    scale.labelSelectorPath ? `selector ${code(scale.labelSelectorPath)}` : 'no selector',
  ].join(', ');
  const rules = celRules(root, '');
  return [
    `## ${names.kind}`,
    cell(root.description),
    table(
      ['', ''],
      [
        ['API version', code(`${crd.spec.group}/${version.name}`)],
        ['Scope', crd.spec.scope],
        [
          'Names',
          `${code(names.plural)}, ${code(names.singular)}, short ${names.shortNames.map(code).join(', ')}`,
        ],
        ['Categories', `${names.categories.map(code).join(', ')} (\`kubectl get ${names.categories[0]}\`)`],
        ['Subresources', `${code('status')}; ${code('scale')}: ${scaleText}`],
        ['CRD', code(`crds/${crd.metadata.name}.yaml`)],
      ],
    ),
    `### ${names.kind} printer columns`,
    columnsTable(version.additionalPrinterColumns),
    `### ${names.kind} spec`,
    `${cell(root.properties!.spec!.description)} (\`spec\` is required.)${objectDefault(root.properties!.spec!, 'spec')}`,
    fieldTable(root.properties!.spec!, 'spec'),
    `### ${names.kind} status`,
    cell(root.properties!.status!.description) + objectDefault(root.properties!.status!, 'status'),
    fieldTable(root.properties!.status!, 'status'),
    `### ${names.kind} validation rules`,
    rules.length === 0
      ? 'No CEL rules beyond the field constraints above; see [Admission policies](#admission-policies).'
      : 'CEL rules in the CRD: the API server refuses a resource that breaks one, with the message shown.\n\n' +
        table(
          ['On', 'Rule', 'Message'],
          rules.map(({ path, rule }) => [
            cell(code(path === '' ? '(resource)' : path)),
            cell(code(rule.rule)),
            cell(rule.message ?? rule.messageExpression ?? ''),
          ]),
        ),
  ].join('\n\n');
}

/**
 * The fields a policy validation checks: the receiver of `.all(`, else every `has(object.…)` whose
 * parent is not one already.
 */
export function policyFields(expression: string): string[] {
  const all = /object\.(spec(?:\.\w+)+)\.all\(/.exec(expression);
  if (all) return [all[1]!];
  const has = [
    ...new Set([...expression.matchAll(/has\(object\.((?:spec|metadata)(?:\.\w+)+)\)/g)].map((m) => m[1]!)),
  ];
  return has.filter((p) => !has.some((q) => p.startsWith(`${q}.`)));
}

/** What the API server answers: the message, or the fixed start of a message expression. */
export function policyMessage(v: { message?: string; messageExpression?: string }): string {
  if (v.message) return v.message;
  const literal = /^'((?:[^'\\]|\\.)*)'/.exec(v.messageExpression ?? '');
  return literal ? `${literal[1]!.replace(/\\'/g, "'")}<the offending keys>` : (v.messageExpression ?? '');
}

function policySection(): string {
  const policies = [...kafkaConnectPolicy(), ...kafkaConnectorPolicy()].filter(
    (p): p is AdmissionPolicy => p.kind === 'ValidatingAdmissionPolicy',
  );
  const rows = policies.flatMap((p) =>
    p.spec.validations.map((v) => [
      code(p.spec.matchConstraints.resourceRules[0]!.resources[0]!),
      cell(policyFields(v.expression).map(code).join(', ')),
      cell(policyMessage(v)),
      v.reason,
    ]),
  );
  const first = policies[0]!;
  return [
    '## Admission policies',
    'Checks CRD CEL cannot express (it cannot iterate the keys of a map whose values mix strings, numbers ' +
      'and booleans, as `config:` is written in YAML), in `crds/validation-policies.weir.dev.yaml`: a ' +
      '`ValidatingAdmissionPolicy` and a `ValidatingAdmissionPolicyBinding` (action `Deny`) per kind, ' +
      `named ${policies.map((p) => code(p.metadata.name)).join(' and ')}; ` +
      'admissionregistration.k8s.io/v1, Kubernetes 1.30 or newer. They apply to ' +
      `${first.spec.matchConstraints.resourceRules[0]!.operations.join(' and ')} with failure policy ` +
      `${code(first.spec.failurePolicy)}. Updates that leave spec and labels alone (finalizers, annotations, ` +
      'status) always pass, so a resource made before the policies existed can still be cleaned up. The ' +
      'operator checks the same rules again and reports `Stalled` / `InvalidSpec` when a resource got past ' +
      'them (for example, policies not installed).',
    table(['Resource', 'Checks', 'Refused with', 'Reason'], rows),
    'Reserved worker properties (`KafkaConnect` `spec.config`): ' +
      `${cell(describeKeys(OPERATOR_OWNED_WORKER_KEYS))}. ` +
      'Reserved connector properties (`KafkaConnector` `spec.config`): ' +
      `${cell(describeKeys(CONNECTOR_OWNED_KEYS))}.`,
  ].join('\n\n');
}

function metadataSection(): string {
  const n = connectNames('<name>');
  const labels = Object.keys(connectLabels({ metadata: { name: '<name>' } } as never));
  const rows: string[][] = [
    [
      code(CLUSTER_LABEL),
      'label',
      'KafkaConnector (you); every object made for a KafkaConnect (operator)',
      'On a KafkaConnector: the KafkaConnect, in the same namespace, it runs on (or use `spec.clusterRef`). On the objects the operator makes: the KafkaConnect they belong to; with `' +
        KIND_LABEL +
        '` it is the worker pods’ selector.',
    ],
    [
      code(KIND_LABEL),
      'label',
      'objects made for a KafkaConnect (operator)',
      '`KafkaConnect`. The operator watches Deployments and pods with this label.',
    ],
    [
      labels
        .filter((l) => l.startsWith('app.kubernetes.io/'))
        .map(code)
        .join(', '),
      'labels',
      'objects made for a KafkaConnect (operator)',
      'Recommended labels: `kafka-connect`, the KafkaConnect’s name, `weir-operator`, `weir`.',
    ],
    [
      code(CONFIG_HASH_ANNOTATION),
      'annotation',
      'worker pod template (operator)',
      'Hash of the worker properties and the versions of the Secrets the pods mount. When it changes, the Deployment rolls the workers. Log levels are not part of it.',
    ],
    [
      code(RESTART_ANNOTATION),
      'annotation',
      'KafkaConnector (you)',
      '`true`, `includeTasks`, `onlyFailed` or `includeTasks,onlyFailed`; `false` anywhere cancels. The operator calls `POST /connectors/{name}/restart` once, then removes the annotation. An unknown value gives a Warning event `InvalidAnnotation` and is removed.',
    ],
    [
      code(RESTART_TASK_ANNOTATION),
      'annotation',
      'KafkaConnector (you)',
      'A task id (`"0"`, `"1"`, …). The operator calls `POST /connectors/{name}/tasks/{id}/restart` once, then removes the annotation.',
    ],
    [
      code(CREATED_ANNOTATION),
      'annotation',
      'KafkaConnector (operator)',
      '`<namespace>/<cluster>/<connector>`, written before the operator creates the connector. Only a connector so marked is deleted from the workers when the KafkaConnector is deleted; a connector that existed before is managed but left in place.',
    ],
    [
      code(FINALIZER),
      'finalizer',
      'KafkaConnector (operator)',
      'Holds deletion until the operator has deleted the connector it created (needs a ready worker). Removing it by hand skips that step.',
    ],
  ];
  const objects: string[][] = [
    [
      code(n.deployment),
      'Deployment, PodDisruptionBudget (`maxUnavailable: 1`), NetworkPolicy, ServiceAccount',
    ],
    [code(n.configMap), `ConfigMap: ${code(WORKER_PROPERTIES)}, ${code(LOG_PROPERTIES)}`],
    [code(n.service), `Service (ClusterIP), port \`rest\` ${REST_PORT}: the REST API (\`status.url\`)`],
    [
      code(n.credentials),
      `Secret: ${code(REST_TOKEN_KEY)} (bearer token for the REST API), ${code(ADMIN_TOKEN_KEY)} (the operator’s token; also accepted by the REST API). Made once with random tokens and kept.`,
    ],
  ];
  return [
    '## Labels, annotations and finalizers',
    table(
      ['Key', 'Kind', 'On (set by)', 'Meaning'],
      rows.map((r) => r.map(cell)),
    ),
    '## Objects the operator makes for a KafkaConnect',
    'Each is owned by the KafkaConnect (owner reference), so deleting the KafkaConnect deletes them.',
    table(
      ['Name', 'Objects'],
      objects.map((r) => r.map(cell)),
    ),
  ].join('\n\n');
}

/** The whole of docs/resources.md. */
export function resourcesMarkdown(): string {
  const crds = [kafkaConnectCrd(), kafkaConnectorCrd()];
  const kinds = crds.map((c) => c.spec.names.kind);
  return `${[
    '# Resource reference',
    `<!-- Generated by operator/api/generate-docs.ts from the CRDs and admission policies in operator/api (the objects crds/*.yaml holds). Do not edit by hand: run \`${REGENERATE}\`. -->`,
    `Weir’s custom resources, API group \`weir.dev\`, version \`v1beta1\`: ${kinds.map(code).join(' and ')}. ` +
      'Field names follow Strimzi’s (see [migration-from-strimzi.md](migration-from-strimzi.md)). ' +
      '`kubectl explain kafkaconnect.spec` prints the same descriptions.',
    [
      ...kinds.map((k) => `- [${k}](#${k.toLowerCase()})`),
      '- [Admission policies](#admission-policies)',
      '- [Labels, annotations and finalizers](#labels-annotations-and-finalizers)',
      '- [Objects the operator makes for a KafkaConnect](#objects-the-operator-makes-for-a-kafkaconnect)',
    ].join('\n'),
    ...crds.map(crdSection),
    policySection(),
    metadataSection(),
  ].join('\n\n')}\n`;
}
