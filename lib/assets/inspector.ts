import { Transform, type TransformCallback } from "node:stream";
import { formatMegabytes } from "@/lib/format";
import { BodyScanner, inspectHead, UploadRefused, type HeadVerdict } from "./inspect";

/** Bytes held back before anything is stored, so the type is known before the upload starts. */
export const HEAD_BYTES = 16 * 1024;

/**
 * The stream between the client and the storage. It
 * - holds back the first HEAD_BYTES and decides on them (`head` resolves, or the stream fails),
 *   so storage is only written to once the head is accepted;
 * - counts bytes and fails as soon as the limit is passed;
 * - scans every chunk (PDF /Encrypt, ZIP encryption flags, OLE encryption streams).
 * Failing = destroying itself with an UploadRefused: the storage reading from it fails too.
 */
export class UploadInspector extends Transform {
  bytes = 0;
  /** The first refusal, kept so a storage error caused by it is reported as the refusal. */
  refusal: UploadRefused | null = null;
  readonly head: Promise<HeadVerdict>;
  private headChunks: Buffer[] = [];
  private headLength = 0;
  private decided = false;
  private scanner: BodyScanner | null = null;
  private resolveHead!: (verdict: HeadVerdict) => void;
  private rejectHead!: (error: Error) => void;

  constructor(
    private readonly name: string,
    private readonly limitBytes: number,
  ) {
    super();
    this.head = new Promise<HeadVerdict>((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
    this.head.catch(() => {}); // observed by the caller; never an unhandled rejection
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limitBytes) {
      callback(this.refuse(new UploadRefused(413, "too_large", `“${this.name}” is larger than the limit of ${formatMegabytes(this.limitBytes)} for this account`)));
      return;
    }
    if (this.decided) {
      this.scanAndPush(chunk, callback);
      return;
    }
    this.headChunks.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < HEAD_BYTES) {
      callback();
      return;
    }
    this.decide().then(() => this.scanAndPush(this.takeHead(), callback), (error) => callback(error));
  }

  override _flush(callback: TransformCallback): void {
    if (this.decided) {
      callback();
      return;
    }
    this.decide().then(
      () => this.scanAndPush(this.takeHead(), callback),
      (error) => callback(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.decided) this.rejectHead(error ?? new UploadRefused(400, "interrupted", "The upload was interrupted; nothing was saved"));
    callback(error);
  }

  /** Fails the stream from outside (the client went away): storage reading from it fails too. */
  fail(refusal: UploadRefused): void {
    this.refuse(refusal);
    if (!this.destroyed) this.destroy(refusal);
  }

  private takeHead(): Buffer {
    const head = Buffer.concat(this.headChunks);
    this.headChunks = [];
    return head;
  }

  private async decide(): Promise<void> {
    try {
      const verdict = await inspectHead(Buffer.concat(this.headChunks), this.name);
      this.scanner = new BodyScanner(verdict.container, this.name);
      this.decided = true;
      this.resolveHead(verdict);
    } catch (error) {
      const failure = error instanceof UploadRefused ? this.refuse(error) : (error as Error);
      this.rejectHead(failure);
      throw failure;
    }
  }

  private scanAndPush(chunk: Buffer, callback: TransformCallback): void {
    try {
      this.scanner?.push(chunk);
    } catch (error) {
      callback(error instanceof UploadRefused ? this.refuse(error) : (error as Error));
      return;
    }
    callback(null, chunk);
  }

  private refuse(refusal: UploadRefused): UploadRefused {
    this.refusal ??= refusal;
    return refusal;
  }
}
