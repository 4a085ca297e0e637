import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configProviders, resolvePlaceholders } from './config-providers.ts';

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

  it('refuses a provider without a known class', () => {
    expect(() => configProviders({ 'config.providers': 'env' })).toThrow(/config.providers.env.class/);
    expect(() =>
      configProviders({ 'config.providers': 'x', 'config.providers.x.class': 'com.example.Nope' }),
    ).toThrow(/unknown config provider/);
  });
});
