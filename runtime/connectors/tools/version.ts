// The version the tool connectors report: Apache Kafka's, as the Java tools they stand in for do (kept
// equal to BUILTIN_PLUGINS_VERSION by runtime/version.test.ts).
export const TOOLS_VERSION = '4.3.1';
