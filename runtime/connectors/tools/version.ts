// The version the tool connectors report (kept equal to WEIR_VERSION by runtime/version.test.ts).
export const TOOLS_VERSION = '0.1.0';
