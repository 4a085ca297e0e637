// The FileStream connectors and their plugin descriptors. The descriptor shape matches the worker's
// PluginDescriptor (runtime/plugins/registry.ts) but is declared here: connectors see only the SPI.
import type { SinkConnector, SourceConnector } from '../../api/index.ts';
import { FileStreamSinkConnector } from './file-stream-sink.ts';
import { FileStreamSourceConnector } from './file-stream-source.ts';
import { FILE_CONNECTORS_VERSION } from './version.ts';

export { FileStreamSinkConnector, FileStreamSinkTask } from './file-stream-sink.ts';
export { FileStreamSourceConnector, FileStreamSourceTask } from './file-stream-source.ts';

export type FileConnectorPlugin =
  | {
      readonly className: string;
      readonly aliases?: readonly string[];
      readonly type: 'source';
      readonly version: string;
      create(): SourceConnector;
    }
  | {
      readonly className: string;
      readonly aliases?: readonly string[];
      readonly type: 'sink';
      readonly version: string;
      create(): SinkConnector;
    };

export const fileConnectorPlugins: readonly FileConnectorPlugin[] = [
  {
    className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    type: 'source',
    version: FILE_CONNECTORS_VERSION,
    create: () => new FileStreamSourceConnector(),
  },
  {
    className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    type: 'sink',
    version: FILE_CONNECTORS_VERSION,
    create: () => new FileStreamSinkConnector(),
  },
];
