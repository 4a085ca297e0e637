// Weir's version (kept equal to package.json's by a unit test) and the Apache Kafka Connect version
// whose behaviour and REST API it follows.
export const WEIR_VERSION = '0.1.0';
export const CONNECT_COMPATIBLE_VERSION = '4.3.1';
/**
 * The commit of Apache Kafka CONNECT_COMPATIBLE_VERSION, as its jars' kafka/kafka-version.properties
 * give it (commitId): what a Java worker of that version reports as `commit` in GET /.
 */
export const CONNECT_COMPATIBLE_COMMIT = '26b251a451ce941d';
/**
 * The version Weir's built-in plugins report (GET /connector-plugins, status bodies): they stand in
 * for Apache Kafka's own FileStream connectors, converters and tools, which report Kafka's version.
 */
export const BUILTIN_PLUGINS_VERSION = CONNECT_COMPATIBLE_VERSION;
/** The commit the build came from, when the image build sets it. */
export const WEIR_COMMIT = process.env.WEIR_COMMIT ?? 'unknown';
