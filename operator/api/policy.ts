// ValidatingAdmissionPolicies that complete the CRDs' checks: the API server refuses a resource
// whose spec.config holds keys the operator owns, whose values are not scalars, or (KafkaConnector)
// that does not say which KafkaConnect it belongs to. These live here rather than in the CRDs
// because CRD CEL cannot iterate the keys of a map whose values have mixed types (strings, numbers
// and booleans, as users write YAML); an admission policy sees the object as plain JSON.
import { CLUSTER_LABEL, GROUP, VERSION } from './types.ts';
import {
  celMatchesKey,
  CONNECTOR_OWNED_KEYS,
  OPERATOR_OWNED_WORKER_KEYS,
  type KeyPattern,
} from './reserved-keys.ts';

export interface PolicyValidation {
  expression: string;
  messageExpression?: string;
  message?: string;
  reason: 'Invalid' | 'Forbidden';
}

export interface AdmissionPolicy {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: 'ValidatingAdmissionPolicy';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    failurePolicy: 'Fail';
    matchConditions: { name: string; expression: string }[];
    matchConstraints: {
      resourceRules: {
        apiGroups: string[];
        apiVersions: string[];
        operations: string[];
        resources: string[];
      }[];
    };
    validations: PolicyValidation[];
  };
}

export interface AdmissionPolicyBinding {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: 'ValidatingAdmissionPolicyBinding';
  metadata: { name: string; labels: Record<string, string> };
  spec: { policyName: string; validationActions: ['Deny'] };
}

const LABELS = { 'app.kubernetes.io/name': 'weir', 'app.kubernetes.io/part-of': 'weir' };

/** CEL: `path` is absent or every key of it passes; the message lists the offending keys. */
function keyRule(path: string, pattern: KeyPattern, what: string): PolicyValidation {
  const bad = celMatchesKey(pattern);
  return {
    expression: `!has(${path}) || ${path}.all(k, !${bad})`,
    messageExpression: `'${what}: ' + ${path}.filter(k, ${bad}).join(', ')`,
    reason: 'Forbidden',
  };
}

function scalarRule(path: string, field: string): PolicyValidation {
  const scalar = (v: string) =>
    ['string', 'int', 'uint', 'double', 'bool'].map((t) => `type(${v}) == ${t}`).join(' || ');
  return {
    expression: `!has(${path}) || ${path}.all(k, ${scalar(`${path}[k]`)})`,
    messageExpression: `'${field} values are strings, numbers or booleans; not: ' + ${path}.filter(k, !(${scalar(`${path}[k]`)})).join(', ')`,
    reason: 'Invalid',
  };
}

const labelsOf = (o: string) => `(has(${o}.metadata.labels) ? ${o}.metadata.labels : {})`;
const CHANGED = `request.operation != 'UPDATE' || oldObject.spec != object.spec || ${labelsOf('oldObject')} != ${labelsOf('object')}`;

const has = (...paths: string[]) => paths.map((p) => `has(${p})`).join(' && ');

function policy(plural: string, validations: PolicyValidation[]): [AdmissionPolicy, AdmissionPolicyBinding] {
  const name = `${plural}.${GROUP}`;
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels: LABELS },
      spec: {
        failurePolicy: 'Fail',
        // Updates that leave spec and labels alone (finalizers, annotations) always pass, so a
        // resource made before the policy existed can still be cleaned up and deleted.
        matchConditions: [{ name: 'spec-or-labels-change', expression: CHANGED }],
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [GROUP],
              apiVersions: [VERSION],
              operations: ['CREATE', 'UPDATE'],
              resources: [plural],
            },
          ],
        },
        validations,
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels: LABELS },
      spec: { policyName: name, validationActions: ['Deny'] },
    },
  ];
}

export function kafkaConnectPolicy(): [AdmissionPolicy, AdmissionPolicyBinding] {
  const container = 'object.spec.template.connectContainer';
  const pod = 'object.spec.template.pod';
  return policy('kafkaconnects', [
    keyRule(
      'object.spec.config',
      OPERATOR_OWNED_WORKER_KEYS,
      'spec.config: the operator owns these worker properties (use bootstrapServers, groupId, the *StorageTopic fields, tls and authentication instead; worker metrics are always on port 9404)',
    ),
    scalarRule('object.spec.config', 'spec.config'),
    {
      expression: `!(${has('object.spec.template', container, `${container}.env`)}) || ${container}.env.all(e, !has(e.name) || !e.name.startsWith('WEIR_'))`,
      message: 'spec.template.connectContainer.env: names starting with WEIR_ are reserved for the operator',
      reason: 'Forbidden',
    },
    {
      expression: `!(${has('object.spec.template', pod, `${pod}.volumes`)}) || ${pod}.volumes.all(v, !has(v.name) || !v.name.startsWith('weir-'))`,
      message: 'spec.template.pod.volumes: names starting with weir- are reserved for the operator',
      reason: 'Forbidden',
    },
    {
      expression: `!(${has('object.spec.template', container, `${container}.volumeMounts`)}) || ${container}.volumeMounts.all(m, !has(m.mountPath) || !(m.mountPath == '/etc/weir' || m.mountPath.startsWith('/etc/weir/') || m.mountPath == '/tmp'))`,
      message:
        'spec.template.connectContainer.volumeMounts: /etc/weir and /tmp are reserved for the operator',
      reason: 'Forbidden',
    },
  ]);
}

export function kafkaConnectorPolicy(): [AdmissionPolicy, AdmissionPolicyBinding] {
  const labelled = `has(object.metadata.labels) && '${CLUSTER_LABEL}' in object.metadata.labels`;
  return policy('kafkaconnectors', [
    keyRule(
      'object.spec.config',
      CONNECTOR_OWNED_KEYS,
      'spec.config: set these with metadata.name, spec.class and spec.tasksMax instead',
    ),
    scalarRule('object.spec.config', 'spec.config'),
    {
      expression: `has(object.spec.clusterRef) || (${labelled})`,
      message: `name the KafkaConnect to run on: the label ${CLUSTER_LABEL}: <name> (same namespace) or spec.clusterRef`,
      reason: 'Invalid',
    },
    {
      expression: `!(has(object.spec.clusterRef) && ${labelled}) || (object.metadata.labels['${CLUSTER_LABEL}'] == object.spec.clusterRef.name && (!has(object.spec.clusterRef.namespace) || object.spec.clusterRef.namespace == request.namespace))`,
      message: `the label ${CLUSTER_LABEL} and spec.clusterRef name different KafkaConnects; keep one`,
      reason: 'Invalid',
    },
  ]);
}
