import { describe, expect, it } from 'vitest';
import { corpusGroups, loadCorpus } from './corpus.ts';

const TRANSFORMS = [
  'Cast',
  'DropHeaders',
  'ExtractField',
  'Filter',
  'Flatten',
  'HeaderFrom',
  'HoistField',
  'InsertField',
  'InsertHeader',
  'MaskField',
  'RegexRouter',
  'ReplaceField',
  'SetSchemaMetadata',
  'TimestampConverter',
  'TimestampRouter',
  'ValueToKey',
];
const PREDICATES = ['TopicNameMatches', 'HasHeaderKey', 'RecordIsTombstone'];
/** What the predicates' and Filter's cases may use besides their own plugin. */
const PREDICATE_HELPERS = ['Filter', 'RegexRouter', 'InsertHeader', 'DropHeaders', ...PREDICATES];

/** The simple names of the transforms and predicates a case's settings name. */
function pluginsOf(props: Record<string, string>): string[] {
  return Object.entries(props)
    .filter(([key]) => /^(transforms|predicates)\.[^.]+\.type$/.test(key))
    .map(([, type]) => (type.split('.').at(-1) ?? '').replace(/\$(Key|Value)$/, ''));
}

describe('the golden corpus', () => {
  const cases = loadCorpus(undefined, '');

  it('has a file for every built-in transform and predicate, and Chain', () => {
    expect(corpusGroups()).toEqual([...TRANSFORMS, ...PREDICATES, 'Chain'].sort());
  });

  it('keeps each group to its own plugin, so a branch with just that plugin can pass it', () => {
    const strays = cases
      .filter((c) => c.group !== 'Chain')
      .flatMap((c) => {
        const withPredicates = PREDICATES.includes(c.group) || c.group === 'Filter';
        const allowed = withPredicates ? [c.group, ...PREDICATE_HELPERS] : [c.group];
        return pluginsOf(c.props)
          .filter((p) => !allowed.includes(p))
          .map((p) => `${c.name} uses ${p}`);
      });
    expect(strays).toEqual([]);
  });

  it('has cases on sink records, schemaless records, tombstones and refused configs', () => {
    expect(cases.some((c) => c.kind === 'sink')).toBe(true);
    expect(cases.some((c) => !c.schemas.value)).toBe(true);
    expect(cases.some((c) => c.records.some((r) => r.value === null))).toBe(true);
    expect(cases.some((c) => c.records.length === 0)).toBe(true);
  });
});
