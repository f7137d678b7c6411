import { ReadingRefusal } from './compose.js';

/** Discord's attachment hosts: the only places a reading is downloaded from. */
export const DISCORD_ATTACHMENT_ORIGINS: readonly string[] = ['https://cdn.discordapp.com', 'https://media.discordapp.net'];

/** Options of {@link downloadAttachment}. */
export interface DownloadOptions {
  /** Origins (scheme, host, port) a URL may point at. */
  readonly origins: readonly string[];
  readonly maxBytes: number;
  /** For the whole download, first byte to last. */
  readonly timeoutMs: number;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The refusal for a file over the size limit, the same whether Discord's size or the bytes told. */
export function tooLarge(size: number, maxBytes: number): ReadingRefusal {
  return new ReadingRefusal(
    `That file is ${megabytes(size)}; a reading may be at most ${megabytes(maxBytes)} (READING_MAX_BYTES).`,
    'file size',
  );
}

/**
 * Downloads an attachment from one of Discord's attachment hosts, streamed: the size cap holds
 * whatever the server claims, redirects are refused (they could lead anywhere), and the whole
 * download must finish within the timeout. Throws a {@link ReadingRefusal} with a message for the member.
 */
export async function downloadAttachment(url: string, options: DownloadOptions): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ReadingRefusal('That attachment has no usable address.', 'attachment host');
  }
  if (!options.origins.includes(parsed.origin))
    throw new ReadingRefusal('Readings are downloaded only from Discord’s own attachment hosts.', 'attachment host');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const timedOut = (): ReadingRefusal =>
    new ReadingRefusal(
      `Downloading the file took longer than ${Math.round(options.timeoutMs / 1000)} s (READING_DOWNLOAD_TIMEOUT_MS); nothing was saved. Try again.`,
      'download timeout',
    );
  try {
    let response: Response;
    try {
      response = await fetch(parsed, { signal: controller.signal, redirect: 'error' });
    } catch {
      throw controller.signal.aborted
        ? timedOut()
        : new ReadingRefusal('The file could not be downloaded from Discord; try again.', 'download');
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new ReadingRefusal(`The file could not be downloaded from Discord (HTTP ${response.status}); try again.`, 'download');
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > options.maxBytes) {
      await response.body.cancel();
      throw tooLarge(declared, options.maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > options.maxBytes) {
          await reader.cancel();
          throw tooLarge(size, options.maxBytes);
        }
        chunks.push(value);
      }
    } catch (err) {
      if (err instanceof ReadingRefusal) throw err;
      throw controller.signal.aborted ? timedOut() : new ReadingRefusal('The download from Discord broke off; try again.', 'download');
    }
    return Buffer.concat(chunks, size);
  } finally {
    clearTimeout(timer);
  }
}
