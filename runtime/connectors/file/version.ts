/** The version the FileStream connectors and their tasks report: Weir's own. */
export const FILE_CONNECTORS_VERSION = '0.1.0';
