// Values moved to the SPI (runtime/api/values.ts), where Java has it (connect-api); kept for old imports.
export { convertToString, parseString } from '../api/values.ts';
