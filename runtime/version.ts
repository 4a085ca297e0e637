// Weir's version (kept equal to package.json's by a unit test) and the Apache Kafka Connect version
// whose behaviour and REST API it follows.
export const WEIR_VERSION = '0.1.0';
export const CONNECT_COMPATIBLE_VERSION = '4.3.1';
/** The commit the build came from, when the image build sets it. */
export const WEIR_COMMIT = process.env.WEIR_COMMIT ?? 'unknown';
