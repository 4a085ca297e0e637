import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaSecurityProblem, parseJaasCredentials, securityOptions } from './kafka-security.ts';

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

  it('reads the key and the chain from one PEM keystore file, as Java does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pem-'));
    const key = '-----BEGIN PRIVATE KEY-----\nS0VZ\n-----END PRIVATE KEY-----\n';
    const chain = '-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n';
    writeFileSync(join(dir, 'client.pem'), key + chain);
    const ssl = { 'security.protocol': 'SSL', 'ssl.keystore.type': 'PEM' };
    const options = securityOptions({ ...ssl, 'ssl.keystore.location': join(dir, 'client.pem') });
    expect(options.tls).toMatchObject({ cert: key + chain, key: key.trimEnd() });
    // An encrypted key is taken as it is; ssl.key.password decrypts it.
    const encrypted = key.replace(/PRIVATE KEY/g, 'ENCRYPTED PRIVATE KEY');
    writeFileSync(join(dir, 'encrypted.pem'), chain + encrypted);
    expect(
      securityOptions({
        ...ssl,
        'ssl.keystore.location': join(dir, 'encrypted.pem'),
        'ssl.key.password': 'pw',
      }).tls,
    ).toMatchObject({ key: encrypted.trimEnd(), passphrase: 'pw' });
    writeFileSync(join(dir, 'chain-only.pem'), chain);
    expect(() => securityOptions({ ...ssl, 'ssl.keystore.location': join(dir, 'chain-only.pem') })).toThrow(
      /ssl\.keystore\.location.*holds no PEM private key/,
    );
  });

  it('takes globs in ssl.truststore.location (a Secret mounted whole, trustedCertificates pattern)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pem-'));
    writeFileSync(join(dir, 'b.crt'), 'B');
    writeFileSync(join(dir, 'a.crt'), 'A');
    writeFileSync(join(dir, 'tls.key'), 'not a certificate');
    const options = securityOptions({
      'security.protocol': 'SSL',
      'ssl.truststore.location': `${join(dir, '*.crt')}`,
    });
    expect(options.tls?.ca).toEqual(['A', 'B']);
    expect(() =>
      securityOptions({ 'security.protocol': 'SSL', 'ssl.truststore.location': join(dir, '*.pem') }),
    ).toThrow(/ssl\.truststore\.location.*matches no file/);
    expect(() =>
      securityOptions({ 'security.protocol': 'SSL', 'ssl.truststore.location': join(dir, 'gone.crt') }),
    ).toThrow(/ssl\.truststore\.location.*cannot be read \(ENOENT/);
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

  describe('what a failed connection says about the settings', () => {
    // Error trees shaped as @platformatic/kafka and Node's TLS raise them.
    const wrap = (inner: Error) =>
      Object.assign(new AggregateError([new Error('Connection to b:9093 failed.', { cause: inner })]), {
        message: 'Cannot connect to any broker.',
      });
    const coded = (message: string, fields: Record<string, unknown>, cause?: Error) =>
      Object.assign(new Error(message, { cause }), fields);

    it("a refused login, with the broker's words", () => {
      const refused = coded('SASL authentication failed.', {
        apiId: 'SASL_AUTHENTICATION_FAILED',
        serverErrorMessage: 'Authentication failed: Invalid username or password',
      });
      const error = wrap(coded('SASL authentication failed.', { code: 'PLT_KFK_AUTHENTICATION' }, refused));
      expect(kafkaSecurityProblem(error)).toBe(
        'the brokers refused the SASL login (Authentication failed: Invalid username or password): check the username and password in sasl.jaas.config and sasl.mechanism',
      );
    });

    it('a SASL handshake on a listener without SASL', () => {
      const state = coded('Request is not valid given the current SASL state.', {
        apiId: 'ILLEGAL_SASL_STATE',
      });
      const error = wrap(
        coded('Cannot find a suitable SASL mechanism.', { code: 'PLT_KFK_AUTHENTICATION' }, state),
      );
      expect(kafkaSecurityProblem(error)).toMatch(
        /SASL handshake failed \(Request is not valid.*security\.protocol/,
      );
    });

    it('certificates: not trusted, or not naming the address', () => {
      const untrusted = coded(
        'unable to verify the first certificate; if the root CA is installed locally…',
        {
          code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        },
      );
      expect(kafkaSecurityProblem(wrap(untrusted))).toBe(
        "the brokers' TLS certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate): give its CA in PEM with ssl.truststore.location or ssl.truststore.certificates",
      );
      const name = coded("Hostname/IP does not match certificate's altnames", {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      });
      expect(kafkaSecurityProblem(wrap(name))).toMatch(
        /does not name the address.*ssl\.endpoint\.identification\.algorithm/,
      );
    });

    it('the wrong security.protocol for the listener', () => {
      expect(kafkaSecurityProblem(new Error('Broker requires TLS.'))).toMatch(
        /security\.protocol to SSL or SASL_SSL/,
      );
      const handshake = coded(
        'TLS handshake failed. Please verify the broker supports TLS.',
        {},
        new Error('reset'),
      );
      expect(kafkaSecurityProblem(wrap(handshake))).toMatch(/did not answer the TLS handshake/);
    });

    it('nothing to say about a broker that is down', () => {
      expect(
        kafkaSecurityProblem(wrap(coded('connect ECONNREFUSED', { code: 'ECONNREFUSED' }))),
      ).toBeUndefined();
      expect(kafkaSecurityProblem('not an error')).toBeUndefined();
    });
  });
});
