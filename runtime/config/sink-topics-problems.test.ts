import { describe, expect, it } from 'vitest';
import { sinkTopicsProblems } from './connector-config.ts';

describe('sinkTopicsProblems: a sink may not consume its own dead letter queue (as Java)', () => {
  const dlq = { 'errors.deadletterqueue.topic.name': ' dead ' };

  it('names the DLQ topic when topics lists it, on topics, the list as Java prints it', () => {
    expect(sinkTopicsProblems({ topics: 'a, dead,a', ...dlq })).toEqual([
      [
        'topics',
        "The DLQ topic 'dead' may not be included in the list of topics ('topics=[a, dead]') consumed by the connector",
      ],
    ]);
  });

  it('names it when topics.regex matches it, on topics.regex', () => {
    expect(sinkTopicsProblems({ 'topics.regex': 'd.*', ...dlq })).toEqual([
      [
        'topics.regex',
        "The DLQ topic 'dead' may not be matched by the regex for the topics ('topics.regex=d.*') consumed by the connector",
      ],
    ]);
  });

  it('accepts a DLQ the connector does not consume', () => {
    expect(sinkTopicsProblems({ topics: 'a,b', ...dlq })).toEqual([]);
    expect(sinkTopicsProblems({ 'topics.regex': 'de', ...dlq })).toEqual([]);
  });
});
