/**
 * `!terraform.state`: another instance's outputs read from its state, without running terraform
 * where Atmos does not (docs/atmos-compatibility.md §11.6). One reader per backend type:
 * - `local` (or none): the state file in the read instance's workdir;
 * - `s3`: the object through the AWS SDK (the standard credential chain, the backend's `profile`,
 *   static keys, `assume_role` / `role_arn`, `assume_role_with_web_identity`, `endpoints.s3`,
 *   `use_path_style`), at `key` or `<workspace_key_prefix>/<workspace>/<key>`;
 * - `gcs`: `<prefix>/<workspace>.tfstate` through the Cloud Storage client;
 * - `azurerm`: `key` (`<key>env:<workspace>` for a named workspace) through the Blob Storage client;
 * - any other type: `terraform state pull` in the read instance's workdir, made ready to read on
 *   demand where this run did not run it (read-workdir.ts).
 * Each returns the outputs (`name → value`), or null when the instance has no state yet.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AwsAccess, AwsRole, CloudPorts, StateObject } from '../ports/cloud.js';
import { CloudError } from '../ports/cloud.js';
import type { Exec } from '../ports/exec.js';
import { displayName } from '../stacks/identity.js';
import type { Instance, Section } from '../stacks/types.js';
import { InstanceError } from '../util/errors.js';
import { buildWorkdirPath } from '../util/paths.js';
import { terraformEnv } from './commands.js';

export type Outputs = Record<string, unknown> | null;

export interface StateReadContext {
  basePath: string;
  log: { info(m: string): void };
  exec: Exec;
  /** The user's environment terraform runs with. */
  env: Record<string, string | undefined>;
  /** Cloud reads (absent: only local state and `terraform state pull`). */
  cloud?: CloudPorts;
  /** The folder terraform reads an instance's state in (output-references.ts); absent: its workdir as it is. */
  workdirToRead?: (target: Instance) => Promise<string>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const map = (v: unknown): Section => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Section) : {});
const strList = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : str(v) ? [v as string] : undefined;

export function outputsOfState(text: string): Record<string, unknown> {
  const state = JSON.parse(text) as { outputs?: Record<string, { value: unknown }> };
  return Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, v.value]));
}

/** Go-style durations in a backend (`1h`, `15m`, `900s`). */
function seconds(v: unknown): number | undefined {
  const m = typeof v === 'string' ? /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v) : null;
  return m && v !== '' ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) || undefined : undefined;
}

/**
 * The AWS access an s3 backend describes, with the read instance's `env` section on top of the
 * process's (its AWS_PROFILE, AWS_REGION, endpoint and credential-file variables), as Atmos reads it.
 */
export function s3BackendAccess(b: Section, componentEnv: Section, label: string): AwsAccess {
  const env = (k: string) => str(componentEnv[k]);
  const region = str(b.region) ?? env('AWS_REGION') ?? env('AWS_DEFAULT_REGION');
  if (!region) throw new InstanceError(`reading the state of ${label}: its s3 backend has no \`region\``);
  const endpoints = map(b.endpoints);
  const roles: AwsRole[] = [];
  const web = map(b.assume_role_with_web_identity);
  if (str(web.role_arn)) {
    const token = str(web.web_identity_token)
      ? { value: web.web_identity_token as string }
      : str(web.web_identity_token_file)
        ? { file: web.web_identity_token_file as string }
        : undefined;
    if (!token) throw new InstanceError(`reading the state of ${label}: assume_role_with_web_identity needs web_identity_token or web_identity_token_file`);
    roles.push({ kind: 'web-identity', roleArn: web.role_arn as string, sessionName: str(web.session_name), token });
  }
  const assume = map(b.assume_role);
  const roleArn = str(assume.role_arn) ?? str(b.role_arn);
  if (roleArn) {
    roles.push({
      kind: 'assume',
      roleArn,
      sessionName: str(assume.session_name) ?? str(b.session_name),
      externalId: str(assume.external_id) ?? str(b.external_id),
      durationSeconds: seconds(assume.duration),
    });
  }
  const accessKey = str(b.access_key);
  const secretKey = str(b.secret_key);
  return {
    region,
    endpoint: str(endpoints.s3) ?? str(b.endpoint) ?? env('AWS_ENDPOINT_URL_S3'),
    stsEndpoint: str(endpoints.sts) ?? str(b.sts_endpoint) ?? env('AWS_ENDPOINT_URL_STS'),
    profile: str(b.profile) ?? env('AWS_PROFILE'),
    sharedCredentialsFiles: strList(b.shared_credentials_files) ?? strList(b.shared_credentials_file) ?? strList(env('AWS_SHARED_CREDENTIALS_FILE')),
    sharedConfigFiles: strList(b.shared_config_files) ?? strList(env('AWS_CONFIG_FILE')),
    staticKeys: accessKey && secretKey ? { accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: str(b.token) } : undefined,
    roles,
  };
}

/** Blob host suffixes for the azurerm backend's `environment`. */
const AZURE_BLOB_SUFFIX: Record<string, string> = {
  public: 'blob.core.windows.net',
  usgovernment: 'blob.core.usgovernmentcloudapi.net',
  china: 'blob.core.chinacloudapi.cn',
  german: 'blob.core.cloudapi.de',
};

/** Where the state object of `target` is, for the backends read through a cloud client; undefined for the others. */
export function stateObject(target: Instance): { where: StateObject; shown: string } | undefined {
  const b = target.backend;
  const label = `${target.component} in stack ${target.stack}`;
  const ws = target.workspace && target.workspace !== 'default' ? target.workspace : undefined;
  switch (target.backendType) {
    case 's3': {
      const bucket = str(b.bucket);
      if (!bucket) throw new InstanceError(`reading the state of ${label}: its s3 backend has no \`bucket\``);
      const file = str(b.key) ?? 'terraform.tfstate';
      const key = ws ? `${str(b.workspace_key_prefix) ?? 'env:'}/${ws}/${file}` : file;
      const aws = s3BackendAccess(b, target.env, label);
      return { where: { kind: 's3', aws, bucket, key, pathStyle: b.use_path_style === true || b.force_path_style === true }, shown: `s3://${bucket}/${key}` };
    }
    case 'gcs': {
      const bucket = str(b.bucket);
      if (!bucket) throw new InstanceError(`reading the state of ${label}: its gcs backend has no \`bucket\``);
      const prefix = str(b.prefix);
      const object = `${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}${ws ?? 'default'}.tfstate`;
      return {
        where: { kind: 'gcs', bucket, object, credentials: str(b.credentials), accessToken: str(b.access_token) },
        shown: `gs://${bucket}/${object}`,
      };
    }
    case 'azurerm': {
      const account = str(b.storage_account_name);
      const container = str(b.container_name);
      if (!account || !container)
        throw new InstanceError(`reading the state of ${label}: its azurerm backend needs \`storage_account_name\` and \`container_name\``);
      const key = str(b.key) ?? 'terraform.tfstate';
      const blob = ws ? `${key}env:${ws}` : key;
      const blobSuffix = AZURE_BLOB_SUFFIX[str(b.environment) ?? 'public'] ?? AZURE_BLOB_SUFFIX.public!;
      return {
        where: { kind: 'azurerm', account, container, blob, blobSuffix, accessKey: str(b.access_key), sasToken: str(b.sas_token) },
        shown: `azurerm://${account}/${container}/${blob}`,
      };
    }
    default:
      return undefined;
  }
}

/** The outputs in `target`'s state, or null when it has none yet. Faults name the instance, the object and the SDK's code. */
export async function readStateOutputs(target: Instance, ctx: StateReadContext): Promise<Outputs> {
  const label = displayName(target);
  if (target.backendType === '' || target.backendType === 'local') return localStateOutputs(target, await workdirOf(target, ctx), ctx);
  const object = stateObject(target);
  if (!object) return pulledStateOutputs(target, ctx);
  if (!ctx.cloud) throw new InstanceError(`reading the state of ${label} from ${object.shown} is not available here`);
  let text: string | null;
  try {
    text = await ctx.cloud.readObject(object.where);
  } catch (e) {
    const why = e instanceof CloudError ? `${e.fault.code}: ${e.fault.message}` : (e as Error).message;
    throw new InstanceError(`reading the state of ${target.component} in stack ${target.stack} from ${object.shown} failed (${why})`);
  }
  ctx.log.info(`read the state of ${label} from ${object.shown}${text === null ? ' (not provisioned)' : ''}`);
  return text === null ? null : outputsOfState(text);
}

function workdirOf(target: Instance, ctx: StateReadContext): Promise<string> {
  return ctx.workdirToRead ? ctx.workdirToRead(target) : Promise.resolve(buildWorkdirPath(ctx.basePath, target.stack, target.component));
}

function localStateOutputs(target: Instance, workdir: string, ctx: StateReadContext): Outputs {
  const file = str(target.backend.path) ?? 'terraform.tfstate';
  const ws = target.workspace;
  const statePath = ws && ws !== 'default' ? path.join(workdir, 'terraform.tfstate.d', ws, file) : path.join(workdir, file);
  const outputs = fs.existsSync(statePath) ? outputsOfState(fs.readFileSync(statePath, 'utf8')) : null;
  ctx.log.info(`read the state of ${target.component}@${target.stack} from ${path.relative(ctx.basePath, statePath)}${outputs ? '' : ' (not provisioned)'}`);
  return outputs;
}

/** `terraform state pull` in the read instance's workdir, in its workspace; the state is never logged. */
async function pulledStateOutputs(target: Instance, ctx: StateReadContext): Promise<Outputs> {
  const label = displayName(target);
  const workdir = await workdirOf(target, ctx);
  if (!fs.existsSync(path.join(workdir, '.terraform'))) {
    throw new InstanceError(
      `reading the state of ${target.component} in stack ${target.stack} from its ${target.backendType} backend needs \`terraform state pull\` in its workdir, which is not initialised on this machine`,
    );
  }
  const { env } = terraformEnv({ userEnv: ctx.env, componentEnv: target.env, parallel: false });
  if (target.workspace && target.workspace !== 'default') env.TF_WORKSPACE = target.workspace;
  const command = target.command || 'terraform';
  const r = await ctx.exec.run(command, ['state', 'pull'], { cwd: workdir, env });
  if (r.code !== 0) throw new InstanceError(`reading the state of ${label} (${command} state pull) failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const text = r.stdout.trim();
  ctx.log.info(`read the state of ${label} with ${command} state pull${text ? '' : ' (not provisioned)'}`);
  return text ? outputsOfState(text) : null;
}
