/**
 * The version the FileStream connectors and their tasks report: Apache Kafka's, as the Java
 * connectors they stand in for do (kept equal to BUILTIN_PLUGINS_VERSION by runtime/version.test.ts;
 * connectors import only the SPI, so the value is written out here).
 */
export const FILE_CONNECTORS_VERSION = '4.3.1';
