// Java's text forms moved to the SPI (runtime/api/java-formats.ts) with Values; kept for old imports.
export * from '../api/java-formats.ts';
