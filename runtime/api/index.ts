// Weir's connector SPI: what a connector, converter or transform is written against.
export * from './config.ts';
export * from './connector.ts';
export * from './converter.ts';
export * from './errors.ts';
export * from './records.ts';
export * from './schema.ts';
export * from './schema-util.ts';
export * from './task.ts';
export * from './transform.ts';
export { convertToString, parseString, parseStringWithPartialSchemas } from './values.ts';
