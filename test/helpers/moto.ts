/**
 * moto's AWS emulator (S3, SSM, Secrets Manager, STS) as a real server on a free loopback port, for
 * the tests and the values benchmark: started once per test file (it takes a second or two), seeded
 * with the AWS SDK itself, stopped at the end. It records every request it serves, so a test can
 * count API calls and see which credentials signed them. moto must be installed
 * (`pip install 'moto[server]'`): a missing `moto_server` fails the tests, it never skips them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { notInUnitScope, tempDir } from './fs.js';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const MOTO_REGION = 'us-east-1';
export const MOTO_ACCOUNT = '123456789012';

/** One request moto served (its recorder's shape). */
export interface MotoRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface Moto {
  endpoint: string;
  /** What a child process needs to talk to it with the SDK's standard chain (static keys). */
  env: Record<string, string>;
  ssm: SSMClient;
  secrets: SecretsManagerClient;
  s3: S3Client;
  putParameter(name: string, value: string, secure?: boolean): Promise<void>;
  createSecret(name: string, value: string): Promise<void>;
  putObject(bucket: string, key: string, body: string): Promise<void>;
  /** Requests served since the last `clearRequests`. */
  requests(): Promise<MotoRequest[]>;
  clearRequests(): Promise<void>;
  /** Roles assumed so far, with the access keys STS handed out for them. */
  assumedRoles(): Promise<{ role_arn: string; access_key_id: string; session_name: string }[]>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUp(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${log()}`);
    try {
      const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${log()}`);
}

export async function startMoto(): Promise<Moto> {
  notInUnitScope("moto's AWS emulator");
  if (spawnSync('moto_server', ['--help'], { encoding: 'utf8' }).status !== 0) {
    throw new Error("moto_server is not on PATH: these tests need moto's AWS emulator (pip install 'moto[server]')");
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // Its recording file is written to its working directory: a temp dir, not the repository.
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    cwd: tempDir('atmos-action-moto-'),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', MOTO_ENABLE_RECORDING: 'True' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  await waitUp(endpoint, child, () => stderr);
  await fetch(`${endpoint}/moto-api/recorder/start-recording`, { method: 'POST' });

  const config = { region: MOTO_REGION, endpoint, credentials: { accessKeyId: 'AKIDSEED', secretAccessKey: 'seed' } };
  const ssm = new SSMClient(config);
  const secrets = new SecretsManagerClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const buckets = new Set<string>();
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDTESTBASE',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_REGION: MOTO_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    ssm,
    secrets,
    s3,
    async putParameter(name, value, secure = false) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: secure ? 'SecureString' : 'String', Overwrite: true }));
    },
    async createSecret(name, value) {
      await secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    },
    async putObject(bucket, key, body) {
      if (!buckets.has(bucket)) {
        await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
        buckets.add(bucket);
      }
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async requests() {
      const text = await (await fetch(`${endpoint}/moto-api/recorder/download-recording`)).text();
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const r = JSON.parse(l) as MotoRequest & { body_encoded?: boolean };
          return { ...r, body: r.body_encoded ? Buffer.from(r.body ?? '', 'base64').toString('utf8') : (r.body ?? '') };
        });
    },
    async clearRequests() {
      await fetch(`${endpoint}/moto-api/recorder/reset-recording`, { method: 'POST' });
      await fetch(`${endpoint}/moto-api/recorder/start-recording`, { method: 'POST' });
    },
    async assumedRoles() {
      const data = (await (await fetch(`${endpoint}/moto-api/data.json`)).json()) as {
        sts?: { AssumedRole?: { role_arn: string; access_key_id: string; session_name: string }[] };
      };
      return data.sts?.AssumedRole ?? [];
    },
    async stop() {
      for (const c of [ssm, secrets, s3]) c.destroy();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** The access key id that signed a request (its Authorization header). */
export function signingKey(r: MotoRequest): string | undefined {
  const auth = Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  return /Credential=([^/]+)\//.exec(auth ?? '')?.[1];
}

/** The API action of a request (`AmazonSSM.GetParameters`, `secretsmanager.BatchGetSecretValue`, or the S3/STS query action). */
export function apiAction(r: MotoRequest): string {
  const target = Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
  if (target) return target;
  const action = /(?:^|&)Action=([^&]+)/.exec(r.body)?.[1];
  return action ? `sts.${action}` : `${r.method} ${new URL(r.url).pathname}`;
}
