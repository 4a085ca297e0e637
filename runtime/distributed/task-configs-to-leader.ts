// Distributed mode: a worker that runs a connector but does not lead the group sends the task configs
// the connector generated to the leader's internal endpoint (POST /connectors/{name}/tasks), signed
// with the session key, as Java's DistributedHerder does; only the leader writes the config topic.
import type { Props } from '../api/index.ts';
import { authorizationHeader } from '../rest/auth.ts';
import { signatureHeaders, type SessionKey } from './session-keys.ts';

const SEND_TIMEOUT_MS = 30_000;

export async function sendTaskConfigsToLeader(
  leaderUrl: string,
  name: string,
  configs: readonly Props[],
  key: SessionKey,
  restToken: string | null,
): Promise<void> {
  const body = JSON.stringify(configs);
  const response = await fetch(
    new URL(`connectors/${encodeURIComponent(name)}/tasks?forward=true`, leaderUrl),
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...authorizationHeader(restToken),
        ...signatureHeaders(body, key),
      },
      body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    },
  );
  if (!response.ok)
    throw new Error(
      `the leader refused task configs for ${name}: HTTP ${response.status} ${await response.text()}`,
    );
}
