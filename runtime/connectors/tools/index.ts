// Tool connectors for tests and benchmarks, under Apache Kafka's class names.
import type { SourceConnector } from '../../api/index.ts';
import { TOOLS_VERSION } from './version.ts';
import { VerifiableSourceConnector } from './verifiable-source.ts';

export { VerifiableSourceConnector, VerifiableSourceTask } from './verifiable-source.ts';

export const toolConnectorPlugins: readonly {
  readonly className: string;
  readonly type: 'source';
  readonly version: string;
  create(): SourceConnector;
}[] = [
  {
    className: 'org.apache.kafka.connect.tools.VerifiableSourceConnector',
    type: 'source',
    version: TOOLS_VERSION,
    create: () => new VerifiableSourceConnector(),
  },
];
