// `npm run java-connect -- standalone <worker.properties> <connector.properties…>` and
// `npm run java-connect -- distributed <worker.properties>`: Apache Kafka Connect, the Java reference,
// in the foreground. Signals pass through, so Ctrl-C stops it as it would stop connect-standalone.sh.
import { spawn } from 'node:child_process';
import { MissingToolError, javaArgs } from './testbed.ts';

const MAIN_CLASSES: Record<string, string> = {
  standalone: 'org.apache.kafka.connect.cli.ConnectStandalone',
  distributed: 'org.apache.kafka.connect.cli.ConnectDistributed',
  mirror: 'org.apache.kafka.connect.mirror.MirrorMaker',
};

const [mode, ...files] = process.argv.slice(2);
const mainClass = mode ? MAIN_CLASSES[mode] : undefined;
if (!mainClass || files.length === 0) {
  console.error(
    'usage: npm run java-connect -- standalone <worker.properties> [<connector.properties>…]\n' +
      '       npm run java-connect -- distributed <worker.properties>\n' +
      '       npm run java-connect -- mirror <mm2.properties>',
  );
  process.exit(2);
}
try {
  const child = spawn('java', javaArgs(mainClass, files), { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} catch (error) {
  console.error(error instanceof MissingToolError ? error.message : (error as Error).message);
  process.exit(1);
}
