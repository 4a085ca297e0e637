import { describe, expect, it } from 'vitest';
import { fullKafkaConnect, minimalKafkaConnect } from '../api/testing/examples.ts';
import type { KafkaConnect } from '../api/types.ts';
import {
  configHash,
  connectConfigMap,
  connectCredentialsSecret,
  connectDeployment,
  connectNetworkPolicy,
  connectObjects,
  connectPodDisruptionBudget,
  connectService,
  logProperties,
  type OperatorSettings,
} from './connect-cluster.ts';
import { referencedSecrets, secretReferences, terminationGracePeriodSeconds } from './connect-pod.ts';
import { labelSelectorString, restUrl } from './names.ts';
import { propertiesText, validateKafkaConnect, workerProperties } from './worker-properties.ts';

const settings: OperatorSettings = {
  namespace: 'weir-system',
  podLabels: { 'app.kubernetes.io/name': 'weir-operator' },
  defaultImage: 'weir:0.1.0',
};

const withSpec = (spec: Partial<KafkaConnect['spec']>): KafkaConnect => {
  const kc = minimalKafkaConnect();
  return { ...kc, spec: { ...kc.spec, ...spec } };
};

describe('worker properties', () => {
  it('distributed mode with per-cluster defaults and secrets only as placeholders', () => {
    expect(workerProperties(minimalKafkaConnect())).toEqual({
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'config.storage.replication.factor': '-1',
      'offset.storage.replication.factor': '-1',
      'status.storage.replication.factor': '-1',
      'bootstrap.servers': 'broker:9092',
      'group.id': 'kafka.my-connect',
      'config.storage.topic': 'my-connect-connect-configs',
      'offset.storage.topic': 'my-connect-connect-offsets',
      'status.storage.topic': 'my-connect-connect-status',
      listeners: 'http://:8083',
      'rest.advertised.listener': 'http',
      'rest.advertised.host.name': '${env:WEIR_POD_IP}',
      'rest.advertised.port': '8083',
      'weir.metrics.port': '9404',
      'config.providers': 'env,directory',
      'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      'config.providers.env.param.allowlist.pattern': '^(?!WEIR_(ADMIN|REST)_TOKEN$).*$',
      'config.providers.directory.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
      // No Secret or ConfigMap mounted but the workers' own ConfigMap: nothing else may be read.
      'config.providers.directory.param.allowed.paths': '/etc/weir/config',
      'security.protocol': 'PLAINTEXT',
      'producer.security.protocol': 'PLAINTEXT',
      'consumer.security.protocol': 'PLAINTEXT',
      'admin.security.protocol': 'PLAINTEXT',
    });
  });

  it("the metrics port is the operator's: refused in spec.config, and never taken from it", () => {
    const kc = withSpec({ config: { 'weir.metrics.port': 1234 } });
    expect(validateKafkaConnect(kc)).toEqual(['spec.config: the operator owns weir.metrics.port']);
    expect(workerProperties(kc)['weir.metrics.port']).toBe('9404');
  });

  it('user config overrides defaults, never operator-owned keys; numbers and booleans as written', () => {
    const props = workerProperties(
      withSpec({
        groupId: 'g',
        config: {
          'value.converter.schemas.enable': false,
          'offset.flush.interval.ms': 10000,
          'config.storage.replication.factor': 1,
          'group.id': 'sneaky',
          'ssl.keystore.location': '/x',
          'config.providers': 'vault, env',
          'config.providers.vault.class': 'com.example.Vault',
        },
      }),
    );
    expect(props['value.converter.schemas.enable']).toBe('false');
    expect(props['offset.flush.interval.ms']).toBe('10000');
    expect(props['config.storage.replication.factor']).toBe('1');
    expect(props['group.id']).toBe('g');
    expect(props['ssl.keystore.location']).toBeUndefined();
    expect(props['config.providers']).toBe('env,directory,vault');
    expect(props['config.providers.vault.class']).toBe('com.example.Vault');
  });

  it('SCRAM over TLS: password from a mounted Secret file, trusted certificates per Secret', () => {
    const props = workerProperties(
      withSpec({
        tls: {
          trustedCertificates: [
            { secretName: 'ca', certificate: 'ca.crt' },
            { secretName: 'more', pattern: '*.crt' },
          ],
        },
        authentication: {
          type: 'scram-sha-512',
          username: 'u"x',
          passwordSecret: { secretName: 's', password: 'pw' },
        },
      }),
    );
    expect(props['security.protocol']).toBe('SASL_SSL');
    expect(props['sasl.mechanism']).toBe('SCRAM-SHA-512');
    expect(props['sasl.jaas.config']).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="u\\"x" password="${directory:/etc/weir/secrets/sasl:password}";',
    );
    expect(props['ssl.truststore.type']).toBe('PEM');
    expect(props['ssl.truststore.location']).toBe(
      '/etc/weir/tls/trusted/ca/ca.crt,/etc/weir/tls/trusted/more/*.crt',
    );
    expect(props['producer.sasl.jaas.config']).toBe(props['sasl.jaas.config']);
    expect(props['consumer.security.protocol']).toBe('SASL_SSL');
  });

  it('mutual TLS and PLAIN', () => {
    const mtls = workerProperties(
      withSpec({
        tls: {},
        authentication: {
          type: 'tls',
          certificateAndKey: { secretName: 'c', certificate: 'tls.crt', key: 'tls.key' },
        },
      }),
    );
    expect(mtls['security.protocol']).toBe('SSL');
    expect(mtls['ssl.keystore.certificate.chain']).toBe('${directory:/etc/weir/tls/client:tls.crt}');
    expect(mtls['ssl.keystore.key']).toBe('${directory:/etc/weir/tls/client:tls.key}');
    expect(mtls['ssl.truststore.location']).toBeUndefined();
    const plain = workerProperties(
      withSpec({
        authentication: { type: 'plain', username: 'u', passwordSecret: { secretName: 's', password: 'p' } },
      }),
    );
    expect(plain['security.protocol']).toBe('SASL_PLAINTEXT');
    expect(plain['sasl.mechanism']).toBe('PLAIN');
    expect(plain['sasl.jaas.config']).toContain('PlainLoginModule');
  });

  it('config providers read only the folders where the pods mount Secrets and ConfigMaps', () => {
    const kc = withSpec({
      tls: { trustedCertificates: [{ secretName: 'ca', certificate: 'ca.crt' }] },
      authentication: {
        type: 'scram-sha-512',
        username: 'u',
        passwordSecret: { secretName: 's', password: 'p' },
      },
      config: {
        'config.providers': 'file,vault',
        'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
        'config.providers.vault.class': 'com.example.VaultConfigProvider',
      },
      template: {
        pod: {
          volumes: [
            { name: 'db', secret: { secretName: 'db-credentials' } },
            { name: 'settings', configMap: { name: 'settings' } },
            { name: 'bundle', projected: { sources: [{ secret: { name: 'x' } }] } },
            { name: 'scratch', emptyDir: {} },
            { name: 'host', hostPath: { path: '/' } },
          ],
        },
        connectContainer: {
          volumeMounts: [
            { name: 'db', mountPath: '/mnt/db/' },
            { name: 'settings', mountPath: '/mnt/settings' },
            { name: 'bundle', mountPath: '/mnt/bundle' },
            { name: 'scratch', mountPath: '/mnt/scratch' },
            { name: 'host', mountPath: '/host' },
          ],
        },
      },
    });
    const props = workerProperties(kc);
    const folders = [
      '/etc/weir/secrets/sasl',
      '/etc/weir/tls/trusted/ca',
      '/mnt/bundle',
      '/mnt/db',
      '/mnt/settings',
    ].join(',');
    expect(props['config.providers.directory.param.allowed.paths']).toBe(folders);
    expect(props['config.providers.file.param.allowed.paths']).toBe(folders);
    expect(props['config.providers.vault.param.allowed.paths']).toBeUndefined();
    // Each allowed folder is one the pod really mounts.
    const mounts = connectDeployment(kc, settings).spec!.template.spec!.containers[0]!.volumeMounts!;
    for (const folder of folders.split(','))
      expect(mounts.map((m) => m.mountPath.replace(/\/$/, ''))).toContain(folder);
    // A user's own allowed.paths for their provider stays; the directory provider is the operator's.
    const own = workerProperties(
      withSpec({
        config: {
          'config.providers': 'file',
          'config.providers.file.class': 'FileConfigProvider',
          'config.providers.file.param.allowed.paths': '/data',
        },
      }),
    );
    expect(own['config.providers.file.param.allowed.paths']).toBe('/data');
  });

  it('validation reports what the API server should have refused', () => {
    expect(validateKafkaConnect(minimalKafkaConnect())).toEqual([]);
    expect(
      validateKafkaConnect(
        withSpec({ config: { 'group.id': 'x', nested: { a: 1 } as never }, authentication: { type: 'tls' } }),
      ),
    ).toEqual([
      'spec.config: the operator owns group.id',
      'spec.config: not a string, number or boolean: nested',
      'authentication tls needs certificateAndKey',
      'authentication tls needs spec.tls',
    ]);
  });

  it('properties files escape like java.util.Properties', () => {
    expect(propertiesText({ 'a b': ' x\ny', 'c=d': 'e\\f' }, 'hi')).toBe(
      '# hi\na\\ b=\\ x\\ny\nc\\=d=e\\\\f\n',
    );
  });
});

describe('objects', () => {
  it('names, labels, owner references', () => {
    const objs = connectObjects(minimalKafkaConnect(), settings);
    expect(Object.values(objs).map((o) => o.metadata!.name)).toEqual([
      'my-connect-connect',
      'my-connect-connect-config',
      'my-connect-connect',
      'my-connect-connect-api',
      'my-connect-connect',
      'my-connect-connect',
    ]);
    for (const o of Object.values(objs)) {
      expect(o.metadata!.namespace).toBe('kafka');
      expect(o.metadata!.labels).toEqual({
        'app.kubernetes.io/name': 'kafka-connect',
        'app.kubernetes.io/instance': 'my-connect',
        'app.kubernetes.io/managed-by': 'weir-operator',
        'app.kubernetes.io/part-of': 'weir',
        'weir.dev/cluster': 'my-connect',
        'weir.dev/kind': 'KafkaConnect',
      });
      expect(o.metadata!.ownerReferences).toEqual([
        {
          apiVersion: 'weir.dev/v1beta1',
          kind: 'KafkaConnect',
          name: 'my-connect',
          uid: 'uid-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    expect(labelSelectorString(minimalKafkaConnect())).toBe(
      'weir.dev/cluster=my-connect,weir.dev/kind=KafkaConnect',
    );
    expect(restUrl(minimalKafkaConnect())).toBe('http://my-connect-connect-api.kafka.svc:8083');
  });

  it('the Deployment: rolling update without unavailability, restricted security, env, probes', () => {
    const d = connectDeployment(minimalKafkaConnect(), settings);
    expect(d.spec!.replicas).toBe(3);
    expect(d.spec!.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    const pod = d.spec!.template.spec!;
    const c = pod.containers[0]!;
    expect(c.image).toBe('weir:0.1.0');
    expect(c.args).toEqual(['connect-distributed', '/etc/weir/config/worker.properties']);
    expect(c.ports).toEqual([
      { name: 'rest', containerPort: 8083, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9404, protocol: 'TCP' },
    ]);
    expect(c.readinessProbe!.httpGet).toEqual({ path: '/health', port: 'rest', scheme: 'HTTP' });
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(c.env!.map((e) => e.name)).toEqual([
      'WEIR_POD_IP',
      'WEIR_POD_NAME',
      'WEIR_ADMIN_TOKEN',
      'WEIR_REST_TOKEN',
      'WEIR_LOG_FORMAT',
      'WEIR_LOG_CONFIG',
    ]);
    expect(c.env![0]!.valueFrom).toEqual({ fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } });
    expect(c.env![3]!.valueFrom).toEqual({
      secretKeyRef: { name: 'my-connect-connect-credentials', key: 'rest-token' },
    });
    expect(pod.volumes!.map((v) => v.name)).toEqual(['weir-config', 'weir-tmp']);
    expect(d.spec!.template.metadata!.annotations!['weir.dev/config-hash']).toMatch(/^[0-9a-f]{16}$/);
  });

  it('the complete example: template, credentials volumes, user env and mounts, grace period', () => {
    const kc = fullKafkaConnect();
    kc.spec.authentication = {
      type: 'scram-sha-512',
      username: 'u',
      passwordSecret: { secretName: 'pw', password: 'p' },
    };
    kc.spec.template!.connectContainer!.env!.push({ name: 'WEIR_ADMIN_TOKEN', value: 'stolen' });
    kc.spec.template!.pod!.volumes!.push({ name: 'weir-config', emptyDir: {} });
    const d = connectDeployment(kc, settings);
    const pod = d.spec!.template.spec!;
    const c = pod.containers[0]!;
    expect(d.spec!.replicas).toBe(2);
    expect(c.image).toBe('registry.example/weir:0.2.0');
    expect(c.resources).toEqual(kc.spec.resources);
    expect(c.env!.filter((e) => e.name === 'WEIR_ADMIN_TOKEN')).toHaveLength(1);
    expect(c.env!.slice(-2).map((e) => e.name)).toEqual(['TZ', 'DB_PASSWORD']);
    expect(pod.volumes!.map((v) => v.name)).toEqual([
      'weir-config',
      'weir-tmp',
      'weir-trusted-0',
      'weir-trusted-1',
      'weir-sasl',
      'data',
    ]);
    expect(pod.volumes![4]!.secret).toEqual({
      secretName: 'pw',
      defaultMode: 0o440,
      items: [{ key: 'p', path: 'password' }],
    });
    expect(c.volumeMounts!.map((m) => m.mountPath)).toEqual([
      '/etc/weir/config',
      '/tmp',
      '/etc/weir/tls/trusted/cluster-ca',
      '/etc/weir/tls/trusted/other-cas',
      '/etc/weir/secrets/sasl',
      '/data',
      '/config',
      '/pods',
    ]);
    expect(c.livenessProbe).toMatchObject({ initialDelaySeconds: 30, failureThreshold: 5 });
    expect(pod.terminationGracePeriodSeconds).toBe(90);
    expect(pod.priorityClassName).toBe('high');
    expect(pod.tolerations).toEqual(kc.spec.template!.pod!.tolerations);
    expect(pod.securityContext).toMatchObject({ fsGroup: 1000, runAsNonRoot: true });
    expect(c.securityContext).toMatchObject({ runAsUser: 1001, readOnlyRootFilesystem: true });
    expect(d.spec!.template.metadata!.labels).toMatchObject({
      team: 'data',
      'weir.dev/cluster': 'my-connect',
    });
    expect(d.spec!.template.metadata!.annotations).toMatchObject({ 'example.com/owner': 'data' });
    expect(referencedSecrets(kc)).toEqual([
      'cluster-ca',
      'other-cas',
      'pw',
      'db',
      'my-connect-connect-credentials',
    ]);
    expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
  });

  it('referenced Secrets: credentials, template volumes (projected too) and env; optional only if every use is', () => {
    const kc = withSpec({
      authentication: {
        type: 'scram-sha-512',
        username: 'u',
        passwordSecret: { secretName: 'shared', password: 'p' },
      },
      template: {
        pod: {
          volumes: [
            { name: 'a', secret: { secretName: 'shared', optional: true } },
            { name: 'b', secret: { secretName: 'maybe', optional: true } },
            {
              name: 'c',
              projected: { sources: [{ secret: { name: 'proj' } }, { configMap: { name: 'cm' } }] },
            },
            { name: 'weir-x', secret: { secretName: 'dropped' } },
          ],
        },
        connectContainer: {
          env: [
            { name: 'A', valueFrom: { secretKeyRef: { name: 'maybe', key: 'k', optional: true } } },
            { name: 'B', valueFrom: { secretKeyRef: { name: 'env-only', key: 'k' } } },
            { name: 'WEIR_X', valueFrom: { secretKeyRef: { name: 'dropped-env', key: 'k' } } },
            { name: 'C', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } },
          ],
        },
      },
    });
    expect(secretReferences(kc)).toEqual([
      { name: 'shared', optional: false },
      { name: 'maybe', optional: true },
      { name: 'proj', optional: false },
      { name: 'env-only', optional: false },
      { name: 'my-connect-connect-credentials', optional: false },
    ]);
  });

  it('the grace period covers the task shutdown timeout', () => {
    expect(
      terminationGracePeriodSeconds(withSpec({ config: { 'task.shutdown.graceful.timeout.ms': 120000 } })),
    ).toBe(150);
  });

  it('the config hash changes with the worker properties and Secret versions, not with log levels', () => {
    const kc = minimalKafkaConnect();
    const base = configHash(kc);
    expect(configHash(withSpec({ config: { 'offset.flush.interval.ms': 1 } }))).not.toBe(base);
    expect(configHash(kc, { secretVersions: { s: '2' } })).not.toBe(
      configHash(kc, { secretVersions: { s: '1' } }),
    );
    expect(configHash(withSpec({ logging: { type: 'inline', loggers: { root: 'DEBUG' } } }))).toBe(base);
    expect(configHash(withSpec({ replicas: 5 }))).toBe(base);
    const debug = withSpec({ logging: { type: 'inline', loggers: { root: 'DEBUG' } } });
    expect(connectDeployment(debug, settings).spec!.template).toEqual(
      connectDeployment(kc, settings).spec!.template,
    );
  });

  it('ConfigMap, Service, PDB, NetworkPolicy', () => {
    const kc = withSpec({ logging: { type: 'inline', loggers: { root: 'WARN', 'a.b': 'DEBUG' } } });
    const cm = connectConfigMap(kc);
    expect(cm.data!['worker.properties']).toContain('\nbootstrap.servers=broker:9092\n');
    expect(cm.data!['worker.properties']).not.toMatch(/password=(?!")/);
    expect(logProperties(kc)).toBe(
      '# Log levels of the Weir workers; generated by the Weir operator.\nlog4j.rootLogger=WARN\nlog4j.logger.a.b=DEBUG\n',
    );
    expect(connectService(kc).spec).toEqual({
      type: 'ClusterIP',
      selector: { 'weir.dev/cluster': 'my-connect', 'weir.dev/kind': 'KafkaConnect' },
      ports: [{ name: 'rest', port: 8083, targetPort: 'rest', protocol: 'TCP' }],
    });
    expect(connectPodDisruptionBudget(kc).spec!.maxUnavailable).toBe(1);
    expect(connectNetworkPolicy(kc, settings).spec).toEqual({
      podSelector: { matchLabels: { 'weir.dev/cluster': 'my-connect', 'weir.dev/kind': 'KafkaConnect' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          ports: [{ port: 8083, protocol: 'TCP' }],
          from: [
            {
              podSelector: {
                matchLabels: { 'weir.dev/cluster': 'my-connect', 'weir.dev/kind': 'KafkaConnect' },
              },
            },
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'weir-system' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'weir-operator' } },
            },
          ],
        },
        // Prometheus may run anywhere: the metrics port admits every source, the REST port does not.
        { ports: [{ port: 9404, protocol: 'TCP' }] },
      ],
    });
  });

  it('credentials: fresh tokens from the random bytes given, existing ones kept', () => {
    const kc = minimalKafkaConnect();
    const fresh = { adminToken: new Uint8Array(32).fill(1), restToken: new Uint8Array(32).fill(2) };
    const s = connectCredentialsSecret(kc, fresh);
    expect(s.metadata!.name).toBe('my-connect-connect-credentials');
    const rest = Buffer.from(s.data!['rest-token']!, 'base64').toString();
    expect(rest).toBe(Buffer.from(fresh.restToken).toString('base64url'));
    const again = connectCredentialsSecret(
      kc,
      { adminToken: new Uint8Array(32).fill(9), restToken: new Uint8Array(32).fill(9) },
      s.data,
    );
    expect(again.data).toEqual(s.data);
    expect(() =>
      connectCredentialsSecret(kc, { adminToken: new Uint8Array(4), restToken: new Uint8Array(32) }),
    ).toThrow(/32/);
  });
});
