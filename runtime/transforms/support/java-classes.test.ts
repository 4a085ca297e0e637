import { describe, expect, it } from 'vitest';
import { Schemas, SchemaBuilder, Struct } from '../../api/index.ts';
import { javaClass, javaClassName } from './java-classes.ts';

describe('javaClassName', () => {
  it('names the Java class of each Connect value', () => {
    expect(javaClassName(null)).toBe('null');
    expect(javaClassName(1)).toBe('java.lang.Long');
    expect(javaClassName(1.5)).toBe('java.lang.Double');
    expect(javaClassName(1, Schemas.INT8)).toBe('java.lang.Byte');
    expect(javaClassName(1, Schemas.FLOAT32)).toBe('java.lang.Float');
    expect(javaClassName(2n ** 60n)).toBe('java.lang.Long');
    expect(javaClassName('s')).toBe('java.lang.String');
    expect(javaClassName(true)).toBe('java.lang.Boolean');
    expect(javaClassName(new Uint8Array(1))).toBe('[B');
    expect(javaClassName([])).toBe('java.util.ArrayList');
    expect(javaClassName(new Map())).toBe('java.util.HashMap');
    expect(javaClassName(new Date(0))).toBe('java.util.Date');
    expect(javaClassName({ unscaled: 1n, scale: 0 })).toBe('java.math.BigDecimal');
    expect(javaClassName(new Struct(SchemaBuilder.struct().build()))).toBe(
      'org.apache.kafka.connect.data.Struct',
    );
    expect(javaClass('s')).toBe('class java.lang.String');
  });
});
