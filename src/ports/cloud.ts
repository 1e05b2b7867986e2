/**
 * The cloud port: reading secrets and parameters from stores, and terraform state objects from
 * buckets, through the clouds' own SDKs. The core describes *what* to read and *with which access*
 * (region, endpoint, roles to assume) in these types; the adapter (`node-cloud.ts`) loads an SDK
 * the first time a run needs it, so commands that read nothing from a cloud never load one.
 */

/** A failed call, as the SDK reported it. */
export interface CloudFault {
  /** The SDK's error code (`ParameterNotFound`, `AccessDenied`, `NoSuchKey`, `ECONNREFUSED`, …). */
  code: string;
  message: string;
  /** The thing read does not exist (as opposed to a denied or failed call). */
  notFound: boolean;
}

/** Thrown by the adapters: carries the SDK's code. */
export class CloudError extends Error {
  constructor(readonly fault: CloudFault) {
    super(`${fault.code}: ${fault.message}`);
    this.name = 'CloudError';
  }
}

/** A web identity token for AssumeRoleWithWebIdentity. */
export type WebIdentityToken =
  /** A file holding it (`AWS_WEB_IDENTITY_TOKEN_FILE`, a backend's `web_identity_token_file`). */
  | { file: string }
  | { value: string }
  /** Requested from GitHub Actions' OIDC endpoint (`ACTIONS_ID_TOKEN_REQUEST_URL`), for this audience. */
  | { githubAudience: string };

/** One role on the way to the credentials a read uses. */
export type AwsRole =
  | { kind: 'assume'; roleArn: string; sessionName?: string; externalId?: string; durationSeconds?: number }
  /** Only as the first role: the chain then starts from the token, not from the default credentials. */
  | { kind: 'web-identity'; roleArn: string; sessionName?: string; token: WebIdentityToken };

/** How to reach AWS for one read: the base credentials and the roles assumed from them, in order. */
export interface AwsAccess {
  region: string;
  /** The service endpoint; default: the SDK's (which honours `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`). */
  endpoint?: string;
  /** STS endpoint for role assumption; default: the SDK's. */
  stsEndpoint?: string;
  /** A named profile (SSO, credential_process, source_profile chains included) instead of the default chain. */
  profile?: string;
  sharedCredentialsFiles?: string[];
  sharedConfigFiles?: string[];
  /** Keys written into a backend's configuration (`access_key`, `secret_key`, `token`). */
  staticKeys?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  roles?: AwsRole[];
}

export type KeyValueStoreSpec =
  | { kind: 'aws/ssm'; aws: AwsAccess }
  | { kind: 'aws/asm'; aws: AwsAccess }
  | { kind: 'gcp/secretmanager'; projectId: string; credentials?: string; endpoint?: string }
  | { kind: 'azure/keyvault'; vaultUrl: string }
  | { kind: 'redis'; url: string };

export type KeyRead = { value: string } | { fault: CloudFault };

export interface KeyBatch {
  /** One entry per name asked for. */
  results: Map<string, KeyRead>;
  /** API calls made (SSM reads 10 names per call, Secrets Manager 20, the others one each). */
  calls: number;
}

/** A store's client: reads many names at once, in as few calls as its API allows. */
export interface KeyValueClient {
  read(names: readonly string[]): Promise<KeyBatch>;
}

/** Where a terraform state object lives, by backend type. */
export type StateObject =
  | { kind: 's3'; aws: AwsAccess; bucket: string; key: string; pathStyle: boolean }
  /** `credentials`: a key file path or its JSON content; `accessToken` as the gcs backend takes it. */
  | { kind: 'gcs'; bucket: string; object: string; credentials?: string; accessToken?: string; endpoint?: string }
  | {
      kind: 'azurerm';
      account: string;
      container: string;
      blob: string;
      /** The blob service host suffix for the backend's `environment` (`blob.core.windows.net` for public). */
      blobSuffix: string;
      accessKey?: string;
      sasToken?: string;
      /** A full service URL (an emulator); default `https://<account>.<blobSuffix>`. */
      endpoint?: string;
    };

export interface CloudPorts {
  keyValue(spec: KeyValueStoreSpec): KeyValueClient;
  /** The object's text, or null when it does not exist. Rejects with a CloudError. */
  readObject(where: StateObject): Promise<string | null>;
}

/** Nothing reachable: the tests and inspection commands that must never contact a cloud. */
export const noCloud: CloudPorts = {
  keyValue: () => ({
    read: () => Promise.reject(new CloudError({ code: 'NotAvailable', message: 'cloud reads are not available here', notFound: false })),
  }),
  readObject: () => Promise.reject(new CloudError({ code: 'NotAvailable', message: 'cloud reads are not available here', notFound: false })),
};

/** Calls in flight at once per store read (the SDKs' retry policies handle throttling). */
export const READ_CONCURRENCY = 8;

/** Runs `work` over `items`, at most `limit` at once. */
export async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** `items` in slices of `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
