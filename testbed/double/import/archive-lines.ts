import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

// The lines of an import file, streamed: a ZIP archive's first *.jsonl entry (what
// `mmctl import upload` sends; the harness writes its entry with a data descriptor, which yauzl
// reads from the central directory) or a bare JSONL file. Nothing holds more than a line at a
// time, so a 500 MB archive costs a few megabytes of memory.

export class ArchiveError extends Error {}

const ZIP_MAGIC = 0x04034b50;

async function isZip(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await file.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === ZIP_MAGIC;
  } finally {
    await file.close();
  }
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) =>
      err ? reject(new ArchiveError(`not a readable ZIP archive: ${err.message}`)) : resolve(zip),
    ),
  );
}

/** Opens the archive's JSONL entry (the first whose name ends in .jsonl). */
async function jsonlEntryStream(path: string): Promise<Readable> {
  const zip = await openZip(path);
  return new Promise((resolve, reject) => {
    zip.on('error', (err: Error) => reject(new ArchiveError(err.message)));
    zip.on('end', () => reject(new ArchiveError('the archive holds no .jsonl file')));
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('.jsonl')) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (err, stream) =>
        err ? reject(new ArchiveError(err.message)) : resolve(stream),
      );
    });
    zip.readEntry();
  });
}

/** The file's lines with their 1-based numbers; blank lines are skipped (numbers still count). */
export async function* archiveLines(path: string): AsyncGenerator<{ number: number; text: string }> {
  const input = (await isZip(path)) ? await jsonlEntryStream(path) : createReadStream(path);
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const text of reader) {
      number++;
      if (text.trim() !== '') yield { number, text };
    }
  } finally {
    reader.close();
    input.destroy();
  }
}
