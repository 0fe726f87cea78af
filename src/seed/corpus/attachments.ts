import type { Random } from '../../common/seeded-random.js';
import { seededRandom } from '../../common/seeded-random.js';

// File attachments of the corpus: the types people share in chat (screenshots far ahead, then
// documents, logs, spreadsheets, archives, the odd video) with sizes spread over orders of
// magnitude as real uploads are (log-uniform within a type's range), so that storage, upload and
// thumbnail costs of a seeded workspace look like a real one's. Only metadata lives in the corpus;
// the bytes are derived on demand from the attachment's own seed (a type's magic number, then a
// pseudo-random fill), so an import archive can be rebuilt byte for byte without storing them.

export interface CorpusAttachment {
  name: string;
  extension: string;
  mimeType: string;
  /** Bytes. */
  size: number;
  /** Seed of attachmentBytes(). */
  seed: string;
}

interface FileKind {
  extension: string;
  mimeType: string;
  weight: number;
  minBytes: number;
  maxBytes: number;
  magic: number[];
  stem: string;
}

const KINDS: readonly FileKind[] = [
  {
    extension: 'png',
    mimeType: 'image/png',
    weight: 35,
    minBytes: 20e3,
    maxBytes: 3e6,
    magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    stem: 'screenshot',
  },
  {
    extension: 'jpg',
    mimeType: 'image/jpeg',
    weight: 15,
    minBytes: 50e3,
    maxBytes: 6e6,
    magic: [0xff, 0xd8, 0xff, 0xe0],
    stem: 'photo',
  },
  {
    extension: 'pdf',
    mimeType: 'application/pdf',
    weight: 15,
    minBytes: 30e3,
    maxBytes: 8e6,
    magic: [0x25, 0x50, 0x44, 0x46, 0x2d],
    stem: 'report',
  },
  {
    extension: 'log',
    mimeType: 'text/plain',
    weight: 10,
    minBytes: 1e3,
    maxBytes: 2e6,
    magic: [],
    stem: 'server',
  },
  {
    extension: 'xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    weight: 8,
    minBytes: 10e3,
    maxBytes: 2e6,
    magic: [0x50, 0x4b, 0x03, 0x04],
    stem: 'budget',
  },
  {
    extension: 'docx',
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    weight: 8,
    minBytes: 15e3,
    maxBytes: 3e6,
    magic: [0x50, 0x4b, 0x03, 0x04],
    stem: 'notes',
  },
  {
    extension: 'zip',
    mimeType: 'application/zip',
    weight: 6,
    minBytes: 100e3,
    maxBytes: 50e6,
    magic: [0x50, 0x4b, 0x03, 0x04],
    stem: 'bundle',
  },
  {
    extension: 'mp4',
    mimeType: 'video/mp4',
    weight: 3,
    minBytes: 1e6,
    maxBytes: 80e6,
    magic: [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70],
    stem: 'recording',
  },
];
const TOTAL_WEIGHT = KINDS.reduce((n, k) => n + k.weight, 0);

function kindOf(rng: Random): FileKind {
  let u = rng.next() * TOTAL_WEIGHT;
  for (const kind of KINDS) {
    u -= kind.weight;
    if (u < 0) return kind;
  }
  return KINDS[0]!;
}

/** One attachment's metadata; `seed` names it (e.g. `<corpus seed>:<post>:<n>`). */
export function corpusAttachment(rng: Random, seed: string): CorpusAttachment {
  const kind = kindOf(rng);
  const size = Math.round(kind.minBytes * (kind.maxBytes / kind.minBytes) ** rng.next());
  return {
    name: `${kind.stem}-${rng.int(100_000)}.${kind.extension}`,
    extension: kind.extension,
    mimeType: kind.mimeType,
    size,
    seed,
  };
}

/** The attachment's bytes: its type's magic number, then a reproducible pseudo-random fill. */
export function attachmentBytes(attachment: CorpusAttachment): Buffer {
  const kind = KINDS.find((k) => k.extension === attachment.extension);
  const bytes = Buffer.alloc(attachment.size);
  const rng = seededRandom(attachment.seed);
  for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(Math.floor(rng.next() * 2 ** 32), i);
  if (kind?.extension === 'log') {
    // Text stays text: printable ASCII lines.
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 80 === 79 ? 10 : 32 + ((bytes[i] ?? 0) % 95);
  }
  Buffer.from(kind?.magic ?? []).copy(bytes, 0, 0, Math.min(bytes.length, kind?.magic.length ?? 0));
  return bytes;
}
