// A Kafka client error nests the ones behind it: a failed request wraps its connection error in
// `cause`, a MultipleErrors holds several in `errors`. What a worker tells from an error (a broker
// unreachable, a security setting wrong) may sit anywhere in that tree.

/** One error in the tree, with the fields the Kafka client sets on its errors. */
export type KafkaErrorNode = Error & {
  code?: string;
  apiId?: string;
  serverErrorMessage?: string;
  errors?: unknown[];
};

/** `error` and every error nested in it, depth first; ten levels at most, against cycles. */
export function* errorTree(error: unknown, depth = 0): Generator<KafkaErrorNode> {
  if (!(error instanceof Error) || depth > 10) return;
  const node = error as KafkaErrorNode;
  yield node;
  yield* errorTree(node.cause, depth + 1);
  for (const inner of node.errors ?? []) yield* errorTree(inner, depth + 1);
}
