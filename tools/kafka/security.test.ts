import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkSecurityOptions,
  clientSecuritySettings,
  scramFormatArgs,
  secureListenerProperties,
  testCertificates,
  type BrokerSecurityState,
} from './security.ts';

const dir = mkdtempSync(join(tmpdir(), 'weir-testbed-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the test bed broker’s secure listeners', () => {
  it('refuses unknown listeners and users that would need quoting', () => {
    expect(() => checkSecurityOptions({ listeners: ['TLS' as never] })).toThrow(/unknown listener TLS/);
    expect(() => checkSecurityOptions({ listeners: ['SSL'], users: { alice: 'a"b' } })).toThrow(
      /user "alice".*letters, digits/,
    );
  });

  it('opens each listener with its protocol, JAAS lines for PLAIN users and SCRAM, PEM stores', () => {
    const certificates = testCertificates(join(dir, 'tls'), '10.0.0.1');
    const props = secureListenerProperties(
      { listeners: ['SASL_SSL', 'MTLS'], users: { alice: 'pw-a', bob: 'pw-b' } },
      '10.0.0.1',
      { SASL_SSL: 9094, MTLS: 9095 },
      certificates,
    );
    expect(props.listeners).toEqual(['SASL_SSL://10.0.0.1:9094', 'MTLS://10.0.0.1:9095']);
    expect(props.protocolMap).toEqual(['SASL_SSL:SASL_SSL', 'MTLS:SSL']);
    expect(props.lines).toEqual([
      'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
      'listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="pw-a" user_bob="pw-b";',
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'ssl.keystore.type=PEM',
      `ssl.keystore.location=${certificates.serverKeystoreFile}`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${certificates.caFile}`,
      'listener.name.mtls.ssl.client.auth=required',
    ]);
    expect(scramFormatArgs({ listeners: ['SASL_SSL'], users: { alice: 'pw-a' } })).toEqual([
      '--add-scram',
      'SCRAM-SHA-256=[name=alice,password=pw-a]',
      '--add-scram',
      'SCRAM-SHA-512=[name=alice,password=pw-a]',
    ]);
  });

  it('turns on the StandardAuthorizer when asked, PLAINTEXT clients as super users', () => {
    const props = secureListenerProperties(
      { listeners: ['SASL_PLAINTEXT'], users: { alice: 'pw-a' }, authorizer: true },
      '10.0.0.1',
      { SASL_PLAINTEXT: 9093 },
      undefined,
    );
    expect(props.lines.slice(-3)).toEqual([
      'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users=User:ANONYMOUS',
      'allow.everyone.if.no.acl.found=true',
    ]);
  });

  it('makes a CA, a broker certificate naming the host and a client certificate, signed by it', () => {
    const files = testCertificates(join(dir, 'tls'), '10.0.0.1');
    const ca = new X509Certificate(readFileSync(files.caFile));
    const server = new X509Certificate(readFileSync(files.serverKeystoreFile));
    const client = new X509Certificate(readFileSync(files.clientKeystoreFile));
    expect(ca.ca).toBe(true);
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(client.checkIssued(ca) && client.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('10.0.0.1')).toBe('10.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(readFileSync(files.serverKeystoreFile, 'utf8')).toMatch(
      /BEGIN PRIVATE KEY[\s\S]*BEGIN CERTIFICATE/,
    );
    // Kept while the host stays; made anew for another host.
    expect(testCertificates(join(dir, 'tls'), '10.0.0.1')).toEqual(files);
    expect(readFileSync(files.caFile, 'utf8')).toBe(ca.toString());
    testCertificates(join(dir, 'tls'), 'broker.test');
    const renamed = new X509Certificate(readFileSync(files.serverKeystoreFile));
    expect(renamed.checkHost('broker.test')).toBe('broker.test');
    expect(renamed.checkIP('10.0.0.1')).toBeUndefined();
  });

  it('gives client settings per listener as Java clients and Weir workers take them', () => {
    const state: { security: BrokerSecurityState } = {
      security: {
        listeners: { SASL_PLAINTEXT: 'h:1', MTLS: 'h:2' },
        users: {},
        certificates: {
          caFile: '/tls/ca.crt',
          caKeyFile: '/tls/ca.key',
          serverKeystoreFile: '/tls/server.pem',
          clientCertFile: '/tls/client.crt',
          clientKeyFile: '/tls/client.key',
          clientKeystoreFile: '/tls/client.pem',
        },
      },
    };
    const login = { mechanism: 'SCRAM-SHA-256', username: 'alice', password: 'pw' } as const;
    expect(clientSecuritySettings(state, 'SASL_PLAINTEXT', login)).toEqual({
      bootstrap: 'h:1',
      settings: {
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'SCRAM-SHA-256',
        'sasl.jaas.config':
          'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="pw";',
      },
    });
    expect(clientSecuritySettings(state, 'MTLS').settings).toEqual({
      'security.protocol': 'SSL',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': '/tls/ca.crt',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': '/tls/client.pem',
    });
    expect(() => clientSecuritySettings(state, 'SASL_PLAINTEXT')).toThrow(/needs a login/);
    expect(() => clientSecuritySettings(state, 'SSL')).toThrow(/no SSL listener/);
  });
});
