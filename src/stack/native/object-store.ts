import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, ListBucketsCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { LOOPBACK } from '../../common/loopback.js';
import { findVersityGateway } from './binaries.js';
import { assertPortFree, freePort } from './ports.js';
import { ManagedProcess } from './process.js';
import { ProcessComponent } from './process-component.js';
import { Wait } from './wait.js';

// AWS SDK releases after January 2027 will need Node 22; the ones this project pins run on
// Node 20 and would otherwise print a warning into every log (docs/dependencies.md).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface VersityGatewayOptions {
  /** Run directory; holds data/ (one sub-directory per bucket) and versitygw.log. */
  dir: string;
  /** Fixed across restarts; default: a free port. */
  port?: number;
  /** Created on first start; default 'mmdrill'. */
  bucket?: string;
  /** Root credentials; default: 'mmdrill' and a random secret. */
  accessKey?: string;
  secretKey?: string;
  /** Path of the versitygw binary; default: GOPATH/bin, then PATH. */
  binary?: string;
  name?: string;
  /** One log line per S3 request; off by default because it dominates the log under load. */
  requestLog?: boolean;
}

const REGION = 'us-east-1';
const BUCKET_EXISTS = new Set(['BucketAlreadyOwnedByYou', 'BucketAlreadyExists']);

/**
 * Versity S3 Gateway (Apache-2.0) serving a POSIX directory as S3 on 127.0.0.1. The root
 * credentials reach it through its environment, never its command line (visible in `ps`).
 */
export class VersityGateway extends ProcessComponent {
  readonly dir: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly name: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region = REGION;
  private readonly binary: string;
  private readonly requestLog: boolean;
  private assignedPort: number | undefined;

  constructor(options: VersityGatewayOptions) {
    super();
    this.dir = options.dir;
    this.dataDir = join(options.dir, 'data');
    this.logFile = join(options.dir, 'versitygw.log');
    this.name = options.name ?? 'versitygw';
    this.bucket = options.bucket ?? 'mmdrill';
    this.accessKey = options.accessKey ?? 'mmdrill';
    this.secretKey = options.secretKey ?? randomBytes(20).toString('hex');
    this.binary = options.binary ?? findVersityGateway();
    this.requestLog = options.requestLog ?? false;
    this.assignedPort = options.port;
  }

  get port(): number {
    if (this.assignedPort === undefined) throw new Error(`${this.name}: no port yet (call start() first)`);
    return this.assignedPort;
  }

  get endpoint(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  get pid(): number {
    if (!this.server) throw new Error(`${this.name} has not been started`);
    return this.server.pid;
  }

  isRunning(): boolean {
    return this.server?.isAlive() ?? false;
  }

  /** Settings for an AWS SDK v3 S3 client: path-style addressing, us-east-1, root credentials. */
  clientConfig(): S3ClientConfig {
    return {
      endpoint: this.endpoint,
      region: REGION,
      forcePathStyle: true,
      credentials: { accessKeyId: this.accessKey, secretAccessKey: this.secretKey },
      // Newer SDKs add CRC checksums to every request by default; send them only where S3 requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
  }

  createClient(overrides: S3ClientConfig = {}): S3Client {
    return new S3Client({ ...this.clientConfig(), ...overrides });
  }

  /** Starts the gateway (again), waits until it answers a signed ListBuckets, ensures the bucket. */
  async start({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<this> {
    if (this.isRunning()) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    this.assignedPort ??= await freePort();
    await mkdir(this.dataDir, { recursive: true, mode: 0o755 });
    await assertPortFree(this.port, this.name);
    this.server ??= new ManagedProcess({
      name: this.name,
      command: this.binary,
      args: [
        '--port',
        `${LOOPBACK}:${this.port}`,
        ...(this.requestLog ? [] : ['--quiet']),
        'posix',
        this.dataDir,
      ],
      env: this.environment(),
      cwd: this.dir,
      logFile: this.logFile,
    });
    await this.server.start();
    const client = this.createClient({
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
    });
    try {
      const ready = Wait.forPredicate(`${this.name} answering ListBuckets at ${this.endpoint}`, async () => {
        await client.send(new ListBucketsCommand({}));
        return true;
      });
      await this.server.waitFor(ready, timeoutMs);
      await this.ensureBucket(client);
    } finally {
      client.destroy();
    }
    return this;
  }

  private async ensureBucket(client: S3Client): Promise<void> {
    try {
      await client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!(error instanceof Error && BUCKET_EXISTS.has(error.name))) throw error;
    }
  }

  private environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    // Stray VGW_* / ROOT_* settings from the caller's shell would change what we run.
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith('VGW_') && !key.startsWith('ROOT_')) env[key] = value;
    }
    // versitygw reads ROOT_ACCESS_KEY_ID / ROOT_SECRET_ACCESS_KEY (aliases ROOT_ACCESS_KEY / ROOT_SECRET_KEY).
    env.ROOT_ACCESS_KEY_ID = this.accessKey;
    env.ROOT_SECRET_ACCESS_KEY = this.secretKey;
    return env;
  }
}
