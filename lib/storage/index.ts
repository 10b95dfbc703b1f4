import path from "node:path";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rm, rmdir, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { env } from "@/lib/env";

/**
 * Asset bytes live in S3-compatible storage when S3_BUCKET is set, else on local disk under
 * ASSET_DIR (the embedded default). Keys are app-generated (`accounts/<id>/<assetId>/<name>`).
 *
 * Writes take a stream and never hold a whole file: on S3 through lib-storage's multipart
 * `Upload` (at most `partSize × (queueSize + 1)` bytes in memory), on disk through a file stream.
 * An aborted or failed write leaves nothing behind that a reader can see: the S3 multipart upload
 * is aborted, the partial file removed.
 */
export type PutOptions = { contentType?: string; signal?: AbortSignal };
export type StoredObject = { stream: Readable; size?: number };

export interface ObjectStorage {
  readonly kind: "local" | "s3";
  put(key: string, body: Uint8Array | Readable, options?: PutOptions): Promise<void>;
  /** The object's bytes as a stream, or null when there is no such object. */
  get(key: string): Promise<StoredObject | null>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Every key under a prefix (for checks and tests; not for serving pages). */
  list(prefix?: string): Promise<string[]>;
}

export function assertSafeKey(key: string) {
  if (!key || key.startsWith("/") || key.includes("\\") || key.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw new Error(`unsafe storage key: ${key}`);
  }
}

function toReadable(body: Uint8Array | Readable): Readable {
  return body instanceof Readable ? body : Readable.from([Buffer.from(body)]);
}

/** Files under `dir`, one per key. */
export function localStorage(dir: string): ObjectStorage {
  const root = path.resolve(dir);
  const fileOf = (key: string) => {
    assertSafeKey(key);
    return path.join(root, key);
  };
  return {
    kind: "local",
    async put(key, body, options = {}) {
      const file = fileOf(key);
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await pipeline(toReadable(body), createWriteStream(file), { signal: options.signal });
      } catch (error) {
        await rm(file, { force: true }).catch(() => {});
        throw error;
      }
    },
    async get(key) {
      const file = fileOf(key);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return null;
      return { stream: createReadStream(file), size: info.size };
    },
    async delete(key) {
      const file = fileOf(key);
      await rm(file, { force: true });
      // Drop the asset's own folder once empty (never a shared parent: another upload may be
      // creating its folder there at this moment).
      if (key.split("/").length >= 3) await rmdir(path.dirname(file)).catch(() => {}); // harmless when not empty or gone
    },
    async list(prefix = "") {
      const out: string[] = [];
      async function walk(folder: string) {
        const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
          const full = path.join(folder, entry.name);
          if (entry.isDirectory()) await walk(full);
          else out.push(path.relative(root, full).split(path.sep).join("/"));
        }
      }
      await walk(root);
      return out.filter((key) => key.startsWith(prefix)).sort();
    },
  };
}

export type S3StorageOptions = { client: S3Client; bucket: string; partSize?: number; queueSize?: number };

/** Objects in an S3-compatible bucket (AWS, MinIO, s3rver...). */
export function s3Storage({ client, bucket, partSize = 5 * 1024 * 1024, queueSize = 2 }: S3StorageOptions): ObjectStorage {
  return {
    kind: "s3",
    async put(key, body, options = {}) {
      assertSafeKey(key);
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: toReadable(body), ContentType: options.contentType },
        queueSize,
        partSize,
        leavePartsOnError: false,
      });
      const abort = () => void upload.abort();
      options.signal?.addEventListener("abort", abort, { once: true });
      try {
        if (options.signal?.aborted) throw options.signal.reason ?? new Error("aborted");
        await upload.done();
      } finally {
        options.signal?.removeEventListener("abort", abort);
      }
    },
    async get(key) {
      assertSafeKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return { stream: out.Body as Readable, size: out.ContentLength };
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return null;
        throw error;
      }
    },
    async delete(key) {
      assertSafeKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        // S3 answers 204 for a missing key; some compatible stores answer 404 NoSuchKey: the same thing.
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404) return;
        throw error;
      }
    },
    async list(prefix = "") {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }));
        for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
  };
}

export type S3ConnectionOptions = {
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Attempts per request; a dead endpoint fails after this many. */
  maxAttempts?: number;
};

export function createS3Client(options: S3ConnectionOptions): S3Client {
  const config: S3ClientConfig = {
    region: options.region ?? "us-east-1",
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? true,
    maxAttempts: options.maxAttempts ?? 3,
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
  };
  return new S3Client(config);
}

const globalForStorage = globalThis as typeof globalThis & { __c360Storage?: ObjectStorage };

/** The storage configured by the environment (kept on globalThis: one S3 client per process). */
export function defaultStorage(): ObjectStorage {
  if (globalForStorage.__c360Storage) return globalForStorage.__c360Storage;
  const config = env();
  globalForStorage.__c360Storage =
    config.storage === "s3"
      ? s3Storage({
          bucket: config.S3_BUCKET!,
          client: createS3Client({
            endpoint: config.S3_ENDPOINT,
            region: config.S3_REGION,
            forcePathStyle: config.S3_FORCE_PATH_STYLE,
            accessKeyId: config.S3_ACCESS_KEY_ID,
            secretAccessKey: config.S3_SECRET_ACCESS_KEY,
          }),
        })
      : localStorage(config.ASSET_DIR);
  return globalForStorage.__c360Storage;
}

export async function putObject(key: string, body: Uint8Array | Readable, options: PutOptions = {}): Promise<void> {
  return defaultStorage().put(key, body, options);
}
