// The two CustomResourceDefinitions, built from the schemas in this folder. generate-crds.ts writes
// them to crds/; crds.test.ts checks the committed files are what this module builds.
import { dump } from 'js-yaml';
import { GROUP, VERSION } from './types.ts';
import { kafkaConnectRootRules, kafkaConnectSpec, kafkaConnectStatus } from './kafka-connect-schema.ts';
import { kafkaConnectorSpec, kafkaConnectorStatus } from './kafka-connector-schema.ts';
import type { Schema, ValidationRule } from './openapi.ts';
import { kafkaConnectorPolicy, kafkaConnectPolicy } from './policy.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'boolean' | 'number';
  jsonPath: string;
  description: string;
  priority?: number;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories: string[];
    };
    scope: 'Namespaced';
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: Schema };
      subresources: {
        status: Record<string, never>;
        scale: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
      };
      additionalPrinterColumns: PrinterColumn[];
    }[];
  };
}

const READY_COLUMN: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: 'The Ready condition: True when everything is as desired.',
};
const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since the resource was created.',
};

function crd(options: {
  kind: string;
  plural: string;
  shortNames: string[];
  description: string;
  spec: Schema;
  status: Schema;
  rules?: ValidationRule[];
  scale: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  columns: PrinterColumn[];
}): CustomResourceDefinition {
  const root: Schema = {
    type: 'object',
    description: options.description,
    properties: {
      apiVersion: { type: 'string', description: `${GROUP}/${VERSION}` },
      kind: { type: 'string', description: options.kind },
      spec: options.spec,
      // A new resource reads observedGeneration -1 until the operator first writes status, so kstatus
      // (Flux) says InProgress, not Current, before anything happened (flux2 #4346, strimzi #9278).
      status: { ...options.status, default: { observedGeneration: -1 } },
    },
    required: ['spec'],
    ...(options.rules ? { 'x-kubernetes-validations': options.rules } : {}),
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${options.plural}.${GROUP}`,
      labels: { 'app.kubernetes.io/name': 'weir', 'app.kubernetes.io/part-of': 'weir' },
    },
    spec: {
      group: GROUP,
      names: {
        kind: options.kind,
        listKind: `${options.kind}List`,
        plural: options.plural,
        singular: options.kind.toLowerCase(),
        shortNames: options.shortNames,
        categories: ['weir'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: root },
          subresources: { status: {}, scale: options.scale },
          additionalPrinterColumns: options.columns,
        },
      ],
    },
  };
}

export function kafkaConnectCrd(): CustomResourceDefinition {
  return crd({
    kind: 'KafkaConnect',
    plural: 'kafkaconnects',
    shortNames: ['kc'],
    description:
      'A Kafka Connect cluster: a Deployment of Weir workers in distributed mode, with its configuration, Service, PodDisruptionBudget, NetworkPolicy and REST credentials, managed by the Weir operator.',
    spec: kafkaConnectSpec,
    status: kafkaConnectStatus,
    rules: kafkaConnectRootRules,
    scale: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
      labelSelectorPath: '.status.labelSelector',
    },
    columns: [
      {
        name: 'Desired replicas',
        type: 'integer',
        jsonPath: '.spec.replicas',
        description: 'Worker pods wanted.',
      },
      {
        name: 'Ready replicas',
        type: 'integer',
        jsonPath: '.status.replicas',
        description: 'Worker pods ready.',
        priority: 1,
      },
      READY_COLUMN,
      AGE_COLUMN,
    ],
  });
}

export function kafkaConnectorCrd(): CustomResourceDefinition {
  return crd({
    kind: 'KafkaConnector',
    plural: 'kafkaconnectors',
    shortNames: ['kctr'],
    description:
      "A connector on a KafkaConnect cluster: the Weir operator creates it through the workers' REST API in the requested state, updates it when the configuration really changes, restarts it when asked or when it fails (autoRestart), and deletes it with the resource.",
    spec: kafkaConnectorSpec,
    status: kafkaConnectorStatus,
    // An HPA refuses a scale without a selector (strimzi #10450): the workers' one.
    scale: {
      specReplicasPath: '.spec.tasksMax',
      statusReplicasPath: '.status.tasksMax',
      labelSelectorPath: '.status.labelSelector',
    },
    columns: [
      {
        name: 'Cluster',
        type: 'string',
        jsonPath: '.metadata.labels.weir\\.dev/cluster',
        description: 'The KafkaConnect (label weir.dev/cluster).',
      },
      {
        name: 'Cluster ref',
        type: 'string',
        jsonPath: '.spec.clusterRef.name',
        description: 'The KafkaConnect named by spec.clusterRef.',
        priority: 1,
      },
      {
        name: 'Connector class',
        type: 'string',
        jsonPath: '.spec.class',
        description: 'The connector class.',
      },
      { name: 'Max Tasks', type: 'integer', jsonPath: '.spec.tasksMax', description: 'tasks.max.' },
      {
        name: 'State',
        type: 'string',
        jsonPath: '.status.connectorStatus.connector.state',
        description:
          "The connector's state on the workers: RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED or RESTARTING.",
      },
      READY_COLUMN,
      AGE_COLUMN,
    ],
  });
}

const HEADER =
  '# Generated by operator/api/generate-crds.ts from operator/api/*-schema.ts; do not edit by hand.\n' +
  '# Install: kubectl apply -f crds/\n';

export function crdYaml(crd: CustomResourceDefinition): string {
  return HEADER + dump(crd, { lineWidth: 120, noRefs: true });
}

/** The files in crds/, by name: the two CRDs and the admission policies that complete them. */
export function crdFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of [kafkaConnectCrd(), kafkaConnectorCrd()]) out[`${c.metadata.name}.yaml`] = crdYaml(c);
  out['validation-policies.weir.dev.yaml'] =
    '# Generated by operator/api/generate-crds.ts from operator/api/policy.ts; do not edit by hand.\n' +
    '# Checks the CRDs cannot express (keys of spec.config, the KafkaConnector-to-KafkaConnect link).\n' +
    [...kafkaConnectPolicy(), ...kafkaConnectorPolicy()]
      .map((doc) => dump(doc, { lineWidth: 120, noRefs: true }))
      .join('---\n');
  return out;
}
