// s3:// with the AWS SDK v3. An endpoint override (KUBETEST_S3_ENDPOINT, or AWS_ENDPOINT_URL_S3 /
// AWS_ENDPOINT_URL) selects path-style addressing for S3-compatible servers. Checksums are only computed
// when required: the SDK's default aws-chunked uploads are stored verbatim (corrupted) by some servers.
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { collect } from './bounded.js';
import {
  NotFoundError,
  splitBucketUrl,
  type ObjectStore,
  type ReadHandle,
  type ReadOptions,
  type WriteOptions,
} from './types.js';

export class S3Store implements ObjectStore {
  readonly scheme = 's3';
  private readonly client: S3Client;

  constructor(env: NodeJS.ProcessEnv) {
    const endpoint = env['KUBETEST_S3_ENDPOINT'] || env['AWS_ENDPOINT_URL_S3'] || env['AWS_ENDPOINT_URL'];
    const keyId = env['AWS_ACCESS_KEY_ID'];
    const secret = env['AWS_SECRET_ACCESS_KEY'];
    this.client = new S3Client({
      region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1',
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      ...(keyId && secret
        ? {
            credentials: {
              accessKeyId: keyId,
              secretAccessKey: secret,
              ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}),
            },
          }
        : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async read(url: string, signal?: AbortSignal, opts?: ReadOptions): Promise<Buffer> {
    return collect(await this.openRead(url, signal), url, opts);
  }

  async openRead(url: string, signal?: AbortSignal): Promise<ReadHandle> {
    const { bucket, key } = splitBucketUrl(url);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      return { stream: r.Body as Readable, size: r.ContentLength };
    } catch (e) {
      throw translate(url, e);
    }
  }

  async exists(url: string): Promise<boolean> {
    const { bucket, key } = splitBucketUrl(url);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (e) {
      if (translate(url, e) instanceof NotFoundError) return false;
      throw translate(url, e);
    }
  }

  async write(url: string, data: Buffer | string, opts: WriteOptions = {}): Promise<void> {
    const { bucket, key } = splitBucketUrl(url);
    await this.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: typeof data === 'string' ? Buffer.from(data) : data,
        ContentType: opts.contentType ?? 'application/octet-stream',
        CacheControl: opts.cacheControl,
      }),
    );
  }

  async uploadFile(url: string, path: string, opts: WriteOptions = {}): Promise<void> {
    const { bucket, key } = splitBucketUrl(url);
    await new Upload({
      client: this.client,
      params: {
        Bucket: bucket,
        Key: key,
        Body: createReadStream(path),
        ContentType: opts.contentType ?? 'application/octet-stream',
        CacheControl: opts.cacheControl,
      },
      partSize: 16 * 1024 * 1024,
      queueSize: 2,
    }).done();
  }

  async list(prefixUrl: string): Promise<string[]> {
    const { bucket, key } = splitBucketUrl(prefixUrl);
    const out: string[] = [];
    let token: string | undefined;
    do {
      const r = await this.client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token }),
      );
      for (const o of r.Contents ?? []) if (o.Key) out.push(`s3://${bucket}/${o.Key}`);
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out.sort();
  }
}

function translate(url: string, e: unknown): Error {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; message?: string };
  if (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404)
    return new NotFoundError(url);
  return new Error(`${url}: ${err.message ?? String(e)}`);
}
