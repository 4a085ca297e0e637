import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileOffsetStore } from './file-offset-store.ts';

describe('FileOffsetStore', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'offsets-')), 'connect.offsets');

  it('keeps offsets across restarts, keyed as Connect keys them', async () => {
    const path = file();
    const store = new FileOffsetStore(path);
    await store.start();
    await store.set([
      { connector: 'src', partition: { filename: '/tmp/a' }, offset: { position: 42 } },
      { connector: 'other', partition: { filename: '/tmp/a' }, offset: { position: 7 } },
    ]);
    const stored = JSON.parse(readFileSync(path, 'utf8')) as { offsets: [string, string][] };
    expect(stored.offsets[0]).toEqual(['["src",{"filename":"/tmp/a"}]', '{"position":42}']);
    const again = new FileOffsetStore(path);
    await again.start();
    expect(await again.get('src', [{ filename: '/tmp/a' }, { filename: '/tmp/b' }])).toEqual([
      { position: 42 },
      null,
    ]);
    expect(await again.connectorOffsets('other')).toEqual([
      { partition: { filename: '/tmp/a' }, offset: { position: 7 } },
    ]);
  });

  it('removes an offset written as null', async () => {
    const store = new FileOffsetStore(file());
    await store.start();
    await store.set([{ connector: 'src', partition: { p: 1 }, offset: { o: 1 } }]);
    await store.set([{ connector: 'src', partition: { p: 1 }, offset: null }]);
    expect(await store.connectorOffsets('src')).toEqual([]);
  });

  it('refuses a file it cannot read with a message saying what to do', async () => {
    const path = file();
    writeFileSync(path, '\u00ac\u00ed\u0000\u0005sr\u0000');
    await expect(new FileOffsetStore(path).start()).rejects.toThrow(/move it away/);
  });
});
