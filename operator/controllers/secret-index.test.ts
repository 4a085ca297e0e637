import { describe, expect, it } from 'vitest';
import { minimalKafkaConnect } from '../api/testing/examples.ts';
import type { KafkaConnect } from '../api/types.ts';
import { SecretIndex } from './secret-index.ts';

const connect = (name: string, namespace: string, password?: string): KafkaConnect => {
  const kc = minimalKafkaConnect();
  return {
    ...kc,
    metadata: { ...kc.metadata, name, namespace },
    spec: {
      ...kc.spec,
      ...(password
        ? {
            authentication: {
              type: 'scram-sha-512',
              username: 'u',
              passwordSecret: { secretName: password, password: 'password' },
            },
          }
        : {}),
    },
  };
};

describe('SecretIndex', () => {
  it('finds the KafkaConnects that refer to a Secret, per namespace, and follows spec changes', () => {
    const index = new SecretIndex();
    index.set(connect('a', 'kafka', 'shared'));
    index.set(connect('b', 'kafka', 'shared'));
    index.set(connect('c', 'other', 'shared'));
    expect(index.connectsOf('kafka', 'shared').sort()).toEqual(['kafka/a', 'kafka/b']);
    expect(index.connectsOf('other', 'shared')).toEqual(['other/c']);
    expect(index.connectsOf('kafka', 'a-connect-credentials')).toEqual(['kafka/a']);
    expect(index.connectsOf('kafka', 'unrelated')).toEqual([]);

    index.set(connect('a', 'kafka', 'own')); // a's spec now names another Secret
    expect(index.connectsOf('kafka', 'shared')).toEqual(['kafka/b']);
    expect(index.connectsOf('kafka', 'own')).toEqual(['kafka/a']);

    index.delete('kafka/b');
    expect(index.connectsOf('kafka', 'shared')).toEqual([]);
    expect(index.connectsOf('kafka', 'b-connect-credentials')).toEqual([]);
    expect(index.connectsOf(undefined, undefined)).toEqual([]);
  });
});
