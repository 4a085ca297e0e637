// `npm run java-perf -- producer <args>` (Kafka's ProducerPerformance) and `consumer <args>`
// (ConsumerPerformance): the raw client limits that benchmarks compare Weir against.
import { spawnSync } from 'node:child_process';
import { MissingToolError, javaArgs } from './testbed.ts';

const MAIN_CLASSES: Record<string, string> = {
  producer: 'org.apache.kafka.tools.ProducerPerformance',
  consumer: 'org.apache.kafka.tools.ConsumerPerformance',
};

const [tool, ...args] = process.argv.slice(2);
const mainClass = tool ? MAIN_CLASSES[tool] : undefined;
if (!mainClass) {
  console.error('usage: npm run java-perf -- producer|consumer <arguments of the Kafka tool>');
  process.exit(2);
}
try {
  const result = spawnSync('java', javaArgs(mainClass, args), { stdio: 'inherit' });
  process.exit(result.status ?? 1);
} catch (error) {
  console.error(error instanceof MissingToolError ? error.message : (error as Error).message);
  process.exit(1);
}
