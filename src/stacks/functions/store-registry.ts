/**
 * From a store's configuration to what the cloud port reads: the key a `(stack, component, key)`
 * coordinate or a raw `!store.get` key has in that store (Atmos's layout per kind), the client
 * (region, endpoint, roles and identity), and how a stored text becomes a value (JSON-decoded when
 * it is JSON, as Atmos does).
 */
import type { StoreConfig } from '../../config/stores.js';
import { READABLE_KINDS } from '../../config/stores.js';
import type { AtmosConfig } from '../../config/types.js';
import type { AwsAccess, AwsRole, CloudPorts, KeyValueClient, KeyValueStoreSpec } from '../../ports/cloud.js';
import { AtmosError } from '../../util/errors.js';

export interface StoreCoordinate {
  stack: string;
  component: string;
  key: string;
}

const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Atmos's key layout: the prefix, the stack split on the stack delimiter, the component split on
 * `/`, and the key, joined by `joiner`; empty stack or component segments are left out, then `//`
 * becomes `/` (once, as Go's ReplaceAll does).
 */
function layout(store: StoreConfig, c: StoreCoordinate, joiner: string): string {
  const parts = [store.prefix];
  if (c.stack !== '') parts.push(...c.stack.split(store.stackDelimiter));
  if (c.component !== '') parts.push(...c.component.split('/'));
  parts.push(c.key);
  return parts.join(joiner).split('//').join('/');
}

/** Key Vault names: letters, digits and `-` only, no leading, trailing or doubled `-`. */
function keyVaultName(s: string): string {
  const n = s
    .replace(/[^0-9a-zA-Z-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  return n === '' ? 'default' : n;
}

/** The name of a coordinate in the store (`!store`, `atmos.Store`, `!secret`). */
export function storeKey(store: StoreConfig, c: StoreCoordinate): string {
  switch (store.kind) {
    case 'gcp/secretmanager':
      return layout(store, c, '_')
        .replace(/\//g, '_')
        .split('__')
        .join('_')
        .replace(/^_+|_+$/g, '');
    case 'azure/keyvault':
      return keyVaultName(layout(store, c, '-'));
    default:
      return layout(store, c, '/');
  }
}

/** The name `!store.get <store> <key>` reads: the key under the store's prefix. */
export function rawStoreKey(store: StoreConfig, key: string): string {
  switch (store.kind) {
    case 'aws/ssm': {
      const name = store.prefix ? `${store.prefix}/${key}` : key;
      return name.startsWith('/') ? name : `/${name}`;
    }
    case 'gcp/secretmanager':
      return store.prefix ? `${store.prefix}_${key}` : key;
    case 'azure/keyvault':
      return keyVaultName(key);
    case 'redis':
      return store.prefix ? `${store.prefix}:${key}` : key;
    default:
      return store.prefix ? `${store.prefix}/${key}` : key;
  }
}

/**
 * A stored text as a value: JSON when it parses, the text otherwise. A secret Parameter Store value
 * that parses as a JSON number, boolean or null keeps its exact text (Atmos writes secret scalars
 * raw, so `1e5` must not come back as `100000`).
 */
export function decodeStored(store: StoreConfig, text: string): unknown {
  if (store.kind === 'redis' && text === '') return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (store.kind === 'aws/ssm' && store.secret && (parsed === null || typeof parsed === 'number' || typeof parsed === 'boolean')) return text;
  return parsed;
}

/** Atmos's (Go) durations as an assumed role takes them: `1h`, `15m`, `900s`, `1h30m`. */
function durationSeconds(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
  if (!m || v === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) || undefined;
}

/**
 * The roles an `auth.identities` entry stands for. atmos-action assumes `aws/assume-role`
 * identities, chained through `via.identity`, starting from the standard credential chain or
 * from a `github/oidc` provider's token (AssumeRoleWithWebIdentity). Identities that need Atmos's
 * interactive login (SSO, SAML, keyring users) are refused, naming them.
 */
export function identityRoles(config: AtmosConfig, store: StoreConfig, name: string, seen: string[] = []): AwsRole[] {
  const where = `store ${store.name}: identity ${name}`;
  if (seen.includes(name)) throw new AtmosError(`${where}: identity chain loops (${[...seen, name].join(' → ')})`, { file: store.file });
  const id = config.auth.identities[name];
  if (!id) throw new AtmosError(`${where} is not defined under auth.identities`, { file: store.file, line: store.line });
  if (id.kind !== 'aws/assume-role') {
    throw new AtmosError(
      `${where} is of kind ${JSON.stringify(id.kind)}; atmos-action assumes aws/assume-role identities only (reached from the standard AWS credential chain, another identity or a github/oidc provider)`,
      { file: store.file, line: store.line },
    );
  }
  const roleArn = optStr(id.principal.assume_role);
  if (!roleArn) throw new AtmosError(`${where} has no principal.assume_role`, { file: store.file, line: store.line });
  const sessionName = optStr(id.principal.session_name);
  const role: AwsRole = {
    kind: 'assume',
    roleArn,
    sessionName,
    externalId: optStr(id.principal.external_id),
    durationSeconds: durationSeconds(id.principal.duration),
  };
  if (id.via?.identity) return [...identityRoles(config, store, id.via.identity, [...seen, name]), role];
  if (id.via?.provider) {
    const p = config.auth.providers[id.via.provider];
    if (!p) throw new AtmosError(`${where}: provider ${id.via.provider} is not defined under auth.providers`, { file: store.file, line: store.line });
    if (p.kind !== 'github/oidc') {
      throw new AtmosError(
        `${where}: provider ${id.via.provider} is of kind ${JSON.stringify(p.kind)}, which needs Atmos's interactive login; atmos-action reaches identities through github/oidc providers or the standard AWS credential chain`,
        { file: store.file, line: store.line },
      );
    }
    const audience = optStr(p.spec.audience);
    if (!audience) throw new AtmosError(`${where}: provider ${id.via.provider} needs spec.audience`, { file: store.file, line: store.line });
    return [{ kind: 'web-identity', roleArn, sessionName, token: { githubAudience: audience } }];
  }
  return [role];
}

/** Google and Azure stores read with the cloud's default credentials (ADC, DefaultAzureCredential). */
function refuseIdentity(store: StoreConfig): void {
  if (!store.identity) return;
  throw new AtmosError(
    `store ${store.name}: an identity on a ${store.kind} store is not supported by atmos-action; remove it and give the job the cloud's default credentials (Application Default Credentials, DefaultAzureCredential)`,
    { file: store.file, line: store.line },
  );
}

/** What the cloud port needs to read a store. */
export function storeSpec(config: AtmosConfig, store: StoreConfig): KeyValueStoreSpec {
  const o = store.options;
  if (!READABLE_KINDS.includes(store.kind)) {
    throw new AtmosError(`store ${store.name} is of kind ${store.kind}, which atmos-action does not read (it reads ${READABLE_KINDS.join(', ')})`, {
      file: store.file,
      line: store.line,
    });
  }
  switch (store.kind) {
    case 'aws/ssm':
    case 'aws/asm': {
      const roles = store.identity ? identityRoles(config, store, store.identity) : [];
      // Parameter Store's `read_role_arn` is assumed after the identity (Atmos: from the store's credentials).
      const readRole = store.kind === 'aws/ssm' ? optStr(o.read_role_arn) : undefined;
      if (readRole) roles.push({ kind: 'assume', roleArn: readRole, sessionName: 'atmos-ssm-session' });
      const aws: AwsAccess = { region: String(o.region), endpoint: optStr(o.endpoint) ?? optStr(o.endpoint_url), roles };
      return { kind: store.kind, aws };
    }
    case 'gcp/secretmanager':
      refuseIdentity(store);
      return { kind: store.kind, projectId: String(o.project_id), credentials: optStr(o.credentials), endpoint: optStr(o.endpoint) ?? optStr(o.endpoint_url) };
    case 'azure/keyvault':
      refuseIdentity(store);
      return { kind: store.kind, vaultUrl: String(o.vault_url) };
    default:
      return { kind: 'redis', url: optStr(o.url) ?? '' };
  }
}

/** The client of each store, built once per run. */
export class StoreClients {
  private readonly clients = new Map<string, KeyValueClient>();
  constructor(
    private readonly config: AtmosConfig,
    private readonly cloud: CloudPorts,
  ) {}

  /** Throws AtmosError for a store atmos-action cannot read (kind, identity). */
  client(store: StoreConfig): KeyValueClient {
    let c = this.clients.get(store.name);
    if (!c) {
      c = this.cloud.keyValue(storeSpec(this.config, store));
      this.clients.set(store.name, c);
    }
    return c;
  }
}
