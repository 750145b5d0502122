import * as fs from 'fs';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import type { Readable } from 'stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** The migration bucket of the target, as the applier and the verifier read it: keys, folders, objects. */
export class ReportsBucket {
  constructor(
    private readonly client: S3Client,
    public readonly bucket: string,
  ) {}

  /** Every key under `prefix`. */
  public async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /** The folders (common prefixes, ending in `/`) directly under `prefix`. */
  public async folders(prefix: string): Promise<string[]> {
    const folders: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          Delimiter: '/',
          ContinuationToken: token,
        }),
      );
      for (const common of page.CommonPrefixes ?? []) if (common.Prefix) folders.push(common.Prefix);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return folders;
  }

  public async stream(key: string): Promise<Readable> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return object.Body as Readable;
  }

  public async text(key: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(key)) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Copies an object to `<root>/<key>`, the layout `aws s3 sync` gives (what the verifier reads). */
  public async download(key: string, root: string): Promise<string> {
    const file = path.join(root, ...key.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await pipeline(await this.stream(key), fs.createWriteStream(file));
    return file;
  }

  public async put(key: string, body: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
  }
}
