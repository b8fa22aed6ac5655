import "server-only";
import { Readable, Transform, type TransformCallback } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import Papa from "papaparse";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "@/lib/limits";
import {
  ImportFileError,
  ImportFileReader,
  type ImportRow,
  ImportTooLargeError,
  NOT_UTF8_MESSAGE,
  startsWithUtf16Bom,
  UTF16_MESSAGE,
} from "./file";

// R43: the server reads the uploaded CSV as a stream — bytes counted and UTF-8 checked as they
// arrive, records handed to the reader one by one by papaparse — so a file over 10 MB or 50,000
// rows is refused as soon as it crosses the line, never held whole.

/** Bytes → text: counts bytes against the cap, decodes strict UTF-8 (a leading BOM is dropped), refuses NUL. */
class Utf8Text extends Transform {
  private bytes = 0;
  private first = true;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(private readonly maxBytes: number) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.bytes += chunk.byteLength;
    if (this.bytes > this.maxBytes) return done(new ImportTooLargeError());
    if (this.first && startsWithUtf16Bom(chunk)) return done(new ImportFileError(UTF16_MESSAGE));
    this.first = false;
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      return done(new ImportFileError(NOT_UTF8_MESSAGE));
    }
    if (text.includes("\u0000"))
      return done(new ImportFileError("The file contains NUL bytes: it is not a CSV text file."));
    done(null, text.length > 0 ? text : undefined);
  }

  override _flush(done: TransformCallback) {
    try {
      const rest = this.decoder.decode();
      done(null, rest.length > 0 ? rest : undefined);
    } catch {
      done(new ImportFileError(NOT_UTF8_MESSAGE));
    }
  }
}

/** The file's data rows, read from an upload body of at most `maxBytes`; a bad file throws a clear error. */
export async function readImportCsv(
  body: ReadableStream<Uint8Array> | null,
  limits: { maxBytes?: number; maxRows?: number } = {},
): Promise<ImportRow[]> {
  if (!body) throw new ImportFileError("The file is empty. The first line must be the header.");
  const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  const text = new Utf8Text(limits.maxBytes ?? MAX_IMPORT_BYTES);
  source.on("error", (error) => text.destroy(error));
  source.pipe(text);
  const reader = new ImportFileReader(limits.maxRows ?? MAX_IMPORT_ROWS);

  return new Promise<ImportRow[]>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      // The rest of the upload is read and dropped rather than cancelled: cancelling a request
      // body that Next is still filling throws "ReadableStream is already closed" in the server.
      source.unpipe(text);
      source.resume();
      text.destroy();
      reject(error);
    };
    Papa.parse<string[]>(text, {
      delimiter: ",",
      step(results, parser) {
        if (settled) return;
        const quoteError = results.errors.find((e) => e.type === "Quotes");
        try {
          if (quoteError)
            throw new ImportFileError(
              `Line ${reader.currentLine + 1} is not valid CSV: a quoted cell is not closed properly (${quoteError.message}).`,
            );
          reader.accept(results.data);
        } catch (error) {
          // Settle first: papaparse's abort() calls `complete` at once.
          fail(error);
          parser.abort();
        }
      },
      complete() {
        if (settled) return;
        try {
          const rows = reader.finish();
          settled = true;
          resolve(rows);
        } catch (error) {
          fail(error);
        }
      },
      error(error: Error) {
        fail(error);
      },
    });
  });
}
