// npm run cluster:start [-- --reset]   builds (first run only) and starts the local cluster
// npm run cluster:stop [-- --reset]    stops it, leaving no process; --reset also wipes its state
// npm run kubectl -- <args>            the cluster's kubectl with .weir/kubeconfig
import { spawnSync } from 'node:child_process';
import { binary, ensureClusterBinaries } from './build.ts';
import { kubeconfigPath, readClusterState, startCluster, stopCluster } from './cluster.ts';

const [command, ...rest] = process.argv.slice(2);
const reset = rest.includes('--reset');

switch (command) {
  case 'start': {
    const already = readClusterState();
    const state = await startCluster({ reset, log: (l) => console.log(l) });
    if (already && !reset) console.log(`The local cluster already runs at ${state.server}.`);
    console.log(`kubeconfig: ${state.kubeconfig}`);
    console.log(`kubectl:    ${binary('kubectl')} (also .weir/bin/kubectl, or npm run kubectl -- …)`);
    break;
  }
  case 'stop': {
    const stopped = await stopCluster({ reset });
    console.log(stopped ? 'The local cluster stopped.' : 'No local cluster was running.');
    if (reset) console.log('Its state is wiped.');
    break;
  }
  case 'kubectl': {
    await ensureClusterBinaries((l) => console.error(l));
    const result = spawnSync(binary('kubectl'), ['--kubeconfig', kubeconfigPath(), ...rest], {
      stdio: 'inherit',
    });
    process.exit(result.status ?? 1);
    break;
  }
  case 'build': {
    await ensureClusterBinaries((l) => console.log(l));
    break;
  }
  default:
    console.error('usage: node e2e/cluster/cli.ts start|stop [--reset] | kubectl <args> | build');
    process.exit(2);
}
