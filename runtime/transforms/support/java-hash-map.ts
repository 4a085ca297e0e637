// The order in which Java iterates a HashMap<String, …>, for the transforms whose result depends on
// it (two keys that become one: ReplaceField's renames, Flatten's joined names; the later one wins).
// Weir's schemaless maps keep the JSON's order; Java's, as JsonConverter fills a new HashMap key by
// key, iterate by hash bucket, then by insertion within a bucket. Trees in overfull buckets (8 or
// more keys of one bucket in a table of 64 or more) are not modelled.

/** String.hashCode(): 31·h + c over the UTF-16 code units, in 32 bits. */
function stringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** The table size a default HashMap has after `size` puts: 16, doubled whenever size > 0.75·capacity. */
function defaultCapacity(size: number): number {
  let capacity = 16;
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}

/** The map's entries in the order a java.util.HashMap filled with them in map order iterates them. */
export function javaHashMapEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  const mask = defaultCapacity(map.size) - 1;
  const bucket = (key: string) => {
    const hash = stringHash(key);
    return (hash ^ (hash >>> 16)) & mask;
  };
  // Array.prototype.sort is stable: insertion order within a bucket is kept.
  return [...map.entries()]
    .map((entry) => ({ entry, bucket: bucket(entry[0]) }))
    .sort((a, b) => a.bucket - b.bucket)
    .map(({ entry }) => entry);
}
