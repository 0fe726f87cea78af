import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, crc32, createDeflateRaw } from 'node:zlib';
import type { ImportLine } from './import-lines.js';

// Writes an import file: a ZIP archive holding one `import.jsonl` (what `mmctl import upload` and
// Mattermost's import_process job take), or, for a name ending in .jsonl, the bare JSONL file.
// A million posts make a JSONL file of hundreds of megabytes, so lines are streamed through
// deflate to disk, never held whole; the ZIP entry is written with a data descriptor (its CRC and
// sizes follow the data, PKWARE APPNOTE 4.3.9) because they are known only at the end. A plain
// ZIP (no ZIP64): an entry past 4 GiB is refused with a hint to write .jsonl instead.

export const JSONL_ENTRY = 'import.jsonl';
const MAX_ZIP32 = 0xffff_ffff;
const CHUNK = 1 << 20;

export interface ArchiveResult {
  path: string;
  lines: number;
  /** Uncompressed JSONL bytes. */
  jsonlBytes: number;
  /** Bytes of the file written. */
  fileBytes: number;
}

/** JSONL text in chunks of about a megabyte, counting lines and bytes. */
async function* jsonlChunks(lines: Iterable<ImportLine>, tally: { lines: number }): AsyncGenerator<Buffer> {
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    const text = `${JSON.stringify(line)}\n`;
    parts.push(text);
    size += text.length;
    tally.lines++;
    if (size >= CHUNK) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(''), 'utf8');
}

/** Writes `lines` to `path` (.zip: a ZIP with import.jsonl; .jsonl: the bare file), atomically. */
export async function writeImportArchive(path: string, lines: Iterable<ImportLine>): Promise<ArchiveResult> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const tally = { lines: 0 };
  let result: ArchiveResult;
  if (path.endsWith('.jsonl')) {
    let bytes = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(Readable.from(jsonlChunks(lines, tally)), count, createWriteStream(temporary));
    result = { path, lines: tally.lines, jsonlBytes: bytes, fileBytes: bytes };
  } else {
    result = { path, ...(await writeZip(temporary, jsonlChunks(lines, tally))), lines: tally.lines };
  }
  await rename(temporary, path);
  return result;
}

async function writeZip(
  path: string,
  chunks: AsyncIterable<Buffer>,
): Promise<{ jsonlBytes: number; fileBytes: number }> {
  const name = Buffer.from(JSONL_ENTRY, 'utf8');
  const { time, date } = dosTime(new Date());
  const flags = 0x0008 | 0x0800; // data descriptor follows; UTF-8 name
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(flags, 6);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(date, 12);
  local.writeUInt16LE(name.length, 26);
  let crc = 0;
  let size = 0;
  let compressed = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const deflate = createDeflateRaw({ level: 1, strategy: constants.Z_DEFAULT_STRATEGY });
  const frame = new Transform({
    transform(chunk: Buffer, _enc, done) {
      compressed += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      if (size > MAX_ZIP32 || compressed > MAX_ZIP32) {
        done(new Error('the import file exceeds 4 GiB, past a plain ZIP: write it as .jsonl instead'));
        return;
      }
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      descriptor.writeUInt32LE(compressed, 8);
      descriptor.writeUInt32LE(size, 12);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(flags, 8);
      central.writeUInt16LE(8, 10);
      central.writeUInt16LE(time, 12);
      central.writeUInt16LE(date, 14);
      central.writeUInt32LE(crc >>> 0, 16);
      central.writeUInt32LE(compressed, 20);
      central.writeUInt32LE(size, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(0, 42); // the local header is at offset 0
      const centralOffset = local.length + name.length + compressed + descriptor.length;
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(1, 8);
      end.writeUInt16LE(1, 10);
      end.writeUInt32LE(central.length + name.length, 12);
      end.writeUInt32LE(centralOffset, 16);
      this.push(descriptor);
      this.push(central);
      this.push(name);
      this.push(end);
      done();
    },
  });
  const out = createWriteStream(path);
  out.write(local);
  out.write(name);
  await pipeline(Readable.from(chunks), measure, deflate, frame, out);
  return {
    jsonlBytes: size,
    fileBytes: local.length + name.length + compressed + 16 + 46 + name.length + 22,
  };
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}
