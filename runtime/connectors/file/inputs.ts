// Where FileStreamSourceTask reads its bytes: a file (by position, so offsets are exact and reads
// can restart anywhere) or a stream such as stdin (no positions; data arrives when it arrives).
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ConnectException } from '../../api/index.ts';
import type { LineReader } from './line-reader.ts';

/** What to do once the input has no more bytes for now. */
export type EndAction = 'wait' | 'restart' | 'ended';

export interface SourceInput {
  /** Opens the input and positions `reader`; false when it is not there yet (a missing file). */
  open(reader: LineReader): Promise<boolean>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  /** Called when a read found nothing: wait for more, restart from the reader's new position, or stop. */
  atEnd(reader: LineReader): Promise<EndAction>;
  close(): Promise<void>;
}

const CR = 0x0d;

/**
 * A file read at explicit byte positions. The first open continues from `startPosition` (the
 * committed offset). Like `tail -F`, reading restarts at 0 when the file shrinks below the read
 * position (truncated, or replaced by a shorter one) or when the name now points at another file
 * (rotated; the old file is read to its end first). An unfinished last line of a rotated file is
 * dropped: it has no terminator, and its position means nothing in the new file.
 */
export class FileInput implements SourceInput {
  private handle: FileHandle | null = null;
  private startPosition: number;
  private readonly filename: string;

  constructor(filename: string, startPosition: number) {
    this.filename = filename;
    this.startPosition = startPosition;
  }

  async open(reader: LineReader): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(this.filename, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new ConnectException(`Couldn't open ${this.filename} for FileStreamSourceTask`, { cause: error });
    }
    try {
      const { size } = await handle.stat();
      // A committed position past the end: the file was truncated or replaced while we were away.
      const position = this.startPosition <= size ? this.startPosition : 0;
      let afterCR = false;
      if (position > 0) {
        const previous = Buffer.alloc(1);
        const { bytesRead } = await handle.read(previous, 0, 1, position - 1);
        afterCR = bytesRead === 1 && previous[0] === CR;
      }
      reader.reset(position, afterCR);
    } catch (error) {
      await handle.close();
      throw new ConnectException(`Couldn't read ${this.filename} for FileStreamSourceTask`, { cause: error });
    }
    this.handle = handle;
    this.startPosition = 0;
    return true;
  }

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    if (!this.handle) return 0;
    const { bytesRead } = await this.handle.read(buffer, offset, length, position);
    return bytesRead;
  }

  async atEnd(reader: LineReader): Promise<EndAction> {
    if (!this.handle) return 'wait';
    const current = await this.handle.stat();
    if (current.size < reader.readPosition) {
      reader.reset(0);
      return 'restart';
    }
    const named = await stat(this.filename).catch(() => null);
    if (named && (named.ino !== current.ino || named.dev !== current.dev)) {
      await this.close();
      return (await this.open(reader)) ? 'restart' : 'wait';
    }
    return 'wait';
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}

/** A readable byte stream (stdin). `onData` is called whenever more data (or the end) arrives. */
export class StreamInput implements SourceInput {
  private pending: Buffer | null = null;
  private ended = false;
  private readonly stream: Readable;
  private readonly onReadable: () => void;
  private readonly onEnd: () => void;

  constructor(stream: Readable, onData: () => void) {
    this.stream = stream;
    this.onReadable = onData;
    this.onEnd = () => {
      this.ended = true;
      onData();
    };
    stream.on('readable', this.onReadable);
    stream.on('end', this.onEnd);
  }

  async open(): Promise<boolean> {
    return true;
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<number> {
    const chunk = this.pending ?? (this.stream.read() as Buffer | string | null);
    if (chunk === null) return 0;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const n = bytes.copy(buffer, offset, 0, Math.min(length, bytes.length));
    this.pending = n < bytes.length ? bytes.subarray(n) : null;
    return n;
  }

  async atEnd(): Promise<EndAction> {
    return this.ended && this.pending === null ? 'ended' : 'wait';
  }

  async close(): Promise<void> {
    this.stream.off('readable', this.onReadable);
    this.stream.off('end', this.onEnd);
  }
}
