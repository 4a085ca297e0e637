import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configProviders,
  hasPlaceholder,
  resolvePlaceholders,
  reverseTransform,
} from './config-providers.ts';

describe('config providers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'providers-'));
  writeFileSync(join(dir, 'creds.properties'), 'user=alice\npassword=s3cret\n');
  writeFileSync(join(dir, 'token'), 'abc');
  const props = {
    'config.providers': 'env,file,directory',
    'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
    'config.providers.directory.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
  };

  it('replaces env, file and directory placeholders and leaves unknown providers alone', () => {
    process.env.WEIR_TEST_HOST = '10.0.0.7';
    const resolved = resolvePlaceholders(
      {
        ...props,
        'rest.advertised.host.name': '${env:WEIR_TEST_HOST}',
        'sasl.jaas.config': `user="\${file:${join(dir, 'creds.properties')}:user}" password="\${file:${join(dir, 'creds.properties')}:password}"`,
        token: `\${directory:${dir}:token}`,
        other: '${vault:secret/x:y}',
      },
      configProviders(props),
    );
    expect(resolved['rest.advertised.host.name']).toBe('10.0.0.7');
    expect(resolved['sasl.jaas.config']).toBe('user="alice" password="s3cret"');
    expect(resolved['token']).toBe('abc');
    expect(resolved['other']).toBe('${vault:secret/x:y}');
  });

  it('names the setting whose placeholder has no value', () => {
    expect(() =>
      resolvePlaceholders({ ...props, x: '${env:WEIR_SURELY_UNSET}' }, configProviders(props)),
    ).toThrow(/x: \$\{env:WEIR_SURELY_UNSET\} has no value/);
  });

  it("keeps a placeholder it cannot resolve as written when asked to (validation, as Java's ConfigTransformer)", () => {
    const resolved = resolvePlaceholders(
      {
        ...props,
        x: '${env:WEIR_SURELY_UNSET}',
        y: `\${file:${join(dir, 'missing.properties')}:password}`,
        z: `\${file:${join(dir, 'creds.properties')}:user}`,
      },
      configProviders(props),
      'keep',
    );
    expect(resolved['x']).toBe('${env:WEIR_SURELY_UNSET}');
    expect(resolved['y']).toBe(`\${file:${join(dir, 'missing.properties')}:password}`);
    expect(resolved['z']).toBe('alice');
  });

  it("reads only under allowed.paths, refusing others with Kafka's message and where to allow them", () => {
    const other = mkdtempSync(join(tmpdir(), 'providers-other-'));
    writeFileSync(join(other, 'token'), 'elsewhere');
    const limited = configProviders({
      ...props,
      'config.providers.file.param.allowed.paths': dir,
      'config.providers.directory.param.allowed.paths': dir,
    });
    const values = {
      ok: `\${file:${join(dir, 'creds.properties')}:user}`,
      dirOk: `\${directory:${dir}:token}`,
      outside: `\${directory:${other}:token}`,
      climbing: `\${file:${dir}/../${other.slice(other.lastIndexOf('/') + 1)}/token:x}`,
      proc: '${directory:/proc/self:environ}',
    };
    expect(() => resolvePlaceholders(values, limited)).toThrow(
      new RegExp(
        `outside: \\$\\{directory:${other}:token\\} could not be read: The path ${other} is not allowed to be accessed \\(config.providers.directory.param.allowed.paths=${dir}: add its folder there to allow it\\)`,
      ),
    );
    expect(() => resolvePlaceholders(values, limited)).toThrow(
      /proc: .* The path \/proc\/self is not allowed/,
    );
    expect(() => resolvePlaceholders(values, limited)).toThrow(/climbing: .* is not allowed to be accessed/);
    // Validation keeps what it may not read as written.
    expect(resolvePlaceholders(values, limited, 'keep')).toEqual({ ...values, ok: 'alice', dirOk: 'abc' });
  });

  it("reads a directory provider's key as a file name of that folder only, as Kafka", () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'inner'), 'nested');
    const resolved = resolvePlaceholders(
      {
        a: `\${directory:${dir}:../etc}`,
        b: `\${directory:${dir}:sub}`,
        c: `\${directory:${dir}:sub/inner}`,
      },
      configProviders(props),
      'keep',
    );
    expect(resolved).toEqual({
      a: `\${directory:${dir}:../etc}`,
      b: `\${directory:${dir}:sub}`,
      c: `\${directory:${dir}:sub/inner}`,
    });
  });

  it('refuses an allowed.paths entry that is relative or missing', () => {
    expect(() =>
      configProviders({ ...props, 'config.providers.file.param.allowed.paths': 'etc/secrets' }),
    ).toThrow(/config.providers.file.param.allowed.paths: Path etc\/secrets is not absolute/);
  });

  it('refuses a provider without a known class', () => {
    expect(() => configProviders({ 'config.providers': 'env' })).toThrow(/config.providers.env.class/);
    expect(() =>
      configProviders({ 'config.providers': 'x', 'config.providers.x.class': 'com.example.Nope' }),
    ).toThrow(/unknown config provider/);
  });
});

describe('reverseTransform (AbstractHerder.reverseTransform)', () => {
  const raw = {
    'connector.class': 'FileStreamSink',
    file: '/data/out.txt',
    'connection.password': '${file:/etc/secrets/db.properties:password}',
    'connection.url': 'jdbc:${env:DB_HOST}/db',
    'other.secret': '${vault:secret/x:y}',
  };

  it('puts the placeholder back wherever a task config has a key the connector config gives with one', () => {
    const generated: Record<string, string>[] = [
      { file: '/data/out.txt', 'connection.password': 's3cret', 'connection.url': 'jdbc:10.0.0.7/db' },
      { file: '/data/out.txt', 'task.class': 'T' },
    ];
    expect(reverseTransform(raw, generated)).toEqual([
      {
        file: '/data/out.txt',
        'connection.password': '${file:/etc/secrets/db.properties:password}',
        'connection.url': 'jdbc:${env:DB_HOST}/db',
      },
      { file: '/data/out.txt', 'task.class': 'T' },
    ]);
    // The connector's own objects stay as they were.
    expect(generated[0]?.['connection.password']).toBe('s3cret');
  });

  it('goes by key, as Java: a secret a task config holds under another key stays', () => {
    expect(reverseTransform(raw, [{ pw: 's3cret' }])).toEqual([{ pw: 's3cret' }]);
  });

  it('knows a placeholder of any provider, and nothing else', () => {
    expect(hasPlaceholder('${vault:secret/x:y}')).toBe(true);
    expect(hasPlaceholder('user="${file:/p.properties:user}"')).toBe(true);
    expect(hasPlaceholder('${env:HOST}')).toBe(true);
    expect(hasPlaceholder('$HOST')).toBe(false);
    expect(hasPlaceholder('${HOST}')).toBe(false);
    expect(reverseTransform(raw, [{ 'other.secret': 'resolved' }])).toEqual([
      { 'other.secret': '${vault:secret/x:y}' },
    ]);
  });
});
