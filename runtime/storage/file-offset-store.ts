// Standalone mode's offsets, in `offset.storage.file.filename`. Every write replaces the file
// atomically (temporary file, fsync, rename), so a crash leaves the previous or the new offsets, never
// half a file. The format is JSON: {"version":1,"offsets":[[key, value], …]} with Connect's key/value
// serialisation (see offset-store.ts).
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WeirError } from '../errors.ts';
import { MemoryOffsetStore, type OffsetEntry } from './offset-store.ts';

interface OffsetFile {
  version: 1;
  offsets: [string, string][];
}

export class FileOffsetStore extends MemoryOffsetStore {
  private readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(file: string) {
    super();
    this.file = file;
  }

  override async start(): Promise<void> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new WeirError(
        'WEIR_INTERNAL',
        `cannot read offsets file ${this.file}: ${(error as Error).message}`,
      );
    }
    if (text.trim() === '') return;
    try {
      const parsed = JSON.parse(text) as OffsetFile;
      for (const [key, value] of parsed.offsets) this.data.set(key, value);
    } catch (error) {
      throw new WeirError(
        'WEIR_INTERNAL',
        `offsets file ${this.file} is not a Weir offsets file (${(error as Error).message}); ` +
          'move it away to start from no offsets (a file written by Apache Kafka Connect cannot be read)',
      );
    }
  }

  override async set(entries: readonly OffsetEntry[]): Promise<void> {
    this.apply(entries);
    const snapshot: OffsetFile = { version: 1, offsets: [...this.data.entries()] };
    // Writes are serialised so an older snapshot never lands after a newer one.
    this.writing = this.writing.catch(() => {}).then(() => this.write(JSON.stringify(snapshot)));
    return this.writing;
  }

  private async write(text: string): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.file);
  }
}
