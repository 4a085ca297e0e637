import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJaasCredentials, securityOptions } from './kafka-security.ts';

describe('Kafka client security settings', () => {
  it('is plaintext by default', () => {
    expect(securityOptions({})).toEqual({});
  });

  it('reads SCRAM credentials from the JAAS line', () => {
    const jaas =
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="connect" password="p\\"w";';
    expect(parseJaasCredentials(jaas)).toEqual({ username: 'connect', password: 'p"w' });
    expect(
      securityOptions({
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'SCRAM-SHA-512',
        'sasl.jaas.config': jaas,
      }),
    ).toEqual({
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'connect', password: 'p"w' },
    });
  });

  it('reads PEM trust and key material for TLS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pem-'));
    writeFileSync(join(dir, 'a.crt'), 'A');
    writeFileSync(join(dir, 'b.crt'), 'B');
    const options = securityOptions({
      'security.protocol': 'SSL',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': `${join(dir, 'a.crt')},${join(dir, 'b.crt')}`,
      'ssl.keystore.certificate.chain': 'CERT',
      'ssl.keystore.key': 'KEY',
    });
    expect(options.tls).toMatchObject({ ca: ['A', 'B'], cert: 'CERT', key: 'KEY' });
  });

  it('names what is wrong', () => {
    expect(() => securityOptions({ 'security.protocol': 'TLS' })).toThrow(/security.protocol/);
    expect(() => securityOptions({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'JKS' })).toThrow(
      /PEM form only/,
    );
    expect(() => securityOptions({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI' })).toThrow(
      /sasl.mechanism/,
    );
    expect(() => securityOptions({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN' })).toThrow(
      /sasl.jaas.config/,
    );
  });
});
