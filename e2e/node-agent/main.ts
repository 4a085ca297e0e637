// The node agent as its own process, as the local cluster starts it:
//   node e2e/node-agent/main.ts --kubeconfig <file> --name <node> --state <dir> --api-port <port>
// SIGTERM or SIGINT stops every pod (5 s grace) and exits.
import { parseArgs } from 'node:util';
import { NodeAgent } from './agent.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    name: { type: 'string', default: 'weir-node-1' },
    state: { type: 'string' },
    'api-port': { type: 'string' },
    'backoff-ms': { type: 'string' },
  },
});
if (!values.kubeconfig || !values.state || !values['api-port']) {
  console.error('usage: main.ts --kubeconfig <file> --state <dir> --api-port <port> [--name <node>]');
  process.exit(2);
}
const stamp = (line: string): void => console.log(`${new Date().toISOString()} ${line}`);
const agent = new NodeAgent({
  kubeconfig: values.kubeconfig,
  nodeName: values.name,
  stateDir: values.state,
  apiServerPort: Number(values['api-port']),
  backoffBaseMs: values['backoff-ms'] ? Number(values['backoff-ms']) : undefined,
  log: stamp,
});
let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  stamp(`${signal}: stopping every pod`);
  void agent.stop().then(() => process.exit(0));
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
await agent.start();
