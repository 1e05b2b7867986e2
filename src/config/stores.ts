/**
 * atmos.yaml `stores:` (and the part of `auth:` a store's `identity` names), read as Atmos reads
 * them: `stores: {NAME: {kind | type, secret, identity, options}}`. The legacy `type` names map to
 * kinds; a store of an unknown kind, an AWS store without a region, or a `secret: true` store on a
 * backend that does not encrypt at rest is a configuration error naming the store, as in Atmos
 * (which refuses them when it builds its store registry, before any command runs).
 */
import fs from 'node:fs';
import { AtmosError } from '../util/errors.js';
import { isPlainMap, type Plain } from '../util/merge.js';
import { lineOf } from '../util/yaml.js';

/** Every kind Atmos knows. */
export const STORE_KINDS = [
  'aws/ssm',
  'aws/asm',
  'gcp/secretmanager',
  'azure/keyvault',
  'redis',
  'hashicorp/vault',
  'artifactory',
  'onepassword',
  'keychain',
  'github/actions',
] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The kinds atmos-action reads; the others are refused when a function uses them. */
export const READABLE_KINDS: readonly StoreKind[] = ['aws/ssm', 'aws/asm', 'gcp/secretmanager', 'azure/keyvault', 'redis'];

const LEGACY_TYPES: Record<string, StoreKind> = {
  artifactory: 'artifactory',
  'azure-key-vault': 'azure/keyvault',
  'aws-ssm-parameter-store': 'aws/ssm',
  'aws-secrets-manager': 'aws/asm',
  'google/secretmanager': 'gcp/secretmanager',
  'google-secret-manager': 'gcp/secretmanager',
  gsm: 'gcp/secretmanager',
  'hashicorp-vault': 'hashicorp/vault',
  redis: 'redis',
  '1password': 'onepassword',
  onepassword: 'onepassword',
  keychain: 'keychain',
  keyring: 'keychain',
  'github-actions': 'github/actions',
};
/** Secret managers by nature: `secret: true` unless the config says otherwise. */
const SECRET_BY_DEFAULT = new Set<StoreKind>(['onepassword', 'keychain', 'github/actions']);
/** No encryption at rest: `secret: true` is refused. */
const SECRET_INCAPABLE = new Set<StoreKind>(['redis', 'artifactory']);

export interface StoreConfig {
  name: string;
  kind: StoreKind;
  /** Only `!secret` reads it; `!store`, `!store.get` and `atmos.Store` refuse it. */
  secret: boolean;
  /** An `auth.identities` entry whose credentials the store uses. */
  identity?: string;
  /** `options` as written (each kind reads its own). */
  options: Plain;
  prefix: string;
  /** Splits the stack name into key segments (`-` by default, `/` for redis, as in Atmos). */
  stackDelimiter: string;
  file?: string;
  line?: number;
}

/** `auth.identities.NAME` / `auth.providers.NAME`, as written. */
export interface AuthEntry {
  kind: string;
  via?: { provider?: string; identity?: string };
  principal: Plain;
  spec: Plain;
  region?: string;
}

export interface AuthSettings {
  identities: Record<string, AuthEntry>;
  providers: Record<string, AuthEntry>;
}

function text(file: string | null): string | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function parseStores(raw: unknown, file: string | null): Record<string, StoreConfig> {
  if (raw === undefined || raw === null) return {};
  const src = text(file);
  const where = (name: string) => ({ file: file ?? undefined, line: src ? lineOf(src, ['stores', name]) : undefined });
  if (!isPlainMap(raw))
    throw new AtmosError('`stores` must be a map of store names to their configuration', {
      file: file ?? undefined,
      line: src ? lineOf(src, ['stores']) : undefined,
    });
  const out: Record<string, StoreConfig> = {};
  for (const [name, value] of Object.entries(raw)) {
    const at = where(name);
    const fail = (msg: string): never => {
      throw new AtmosError(`stores.${name}: ${msg}`, at);
    };
    if (!isPlainMap(value)) fail('must be a map with `kind` (or `type`) and `options`');
    const v = value as Plain;
    const written = optStr(v.kind) ?? optStr(v.type);
    if (!written) fail(`has no \`kind\`; use one of ${STORE_KINDS.join(', ')}`);
    const kind = (LEGACY_TYPES[written!] ?? written) as StoreKind;
    if (!STORE_KINDS.includes(kind)) fail(`unknown store kind ${JSON.stringify(written)}; Atmos knows ${STORE_KINDS.join(', ')}`);
    const options = v.options === undefined || v.options === null ? {} : v.options;
    if (!isPlainMap(options)) fail('`options` must be a map');
    const opts = options as Plain;
    const secret = typeof v.secret === 'boolean' ? v.secret : SECRET_BY_DEFAULT.has(kind);
    if (secret && SECRET_INCAPABLE.has(kind)) fail(`\`secret: true\` on a ${kind} store would keep secrets unencrypted at rest (Atmos refuses it too)`);
    if ((kind === 'aws/ssm' || kind === 'aws/asm') && !optStr(opts.region)) fail(`a ${kind} store needs \`options.region\``);
    if (kind === 'gcp/secretmanager' && !optStr(opts.project_id)) fail('a gcp/secretmanager store needs `options.project_id`');
    if (kind === 'azure/keyvault' && !optStr(opts.vault_url)) fail('an azure/keyvault store needs `options.vault_url`');
    if (v.identity !== undefined && typeof v.identity !== 'string') fail('`identity` must be the name of an auth identity');
    out[name] = {
      name,
      kind,
      secret,
      identity: optStr(v.identity),
      options: opts,
      prefix: typeof opts.prefix === 'string' ? opts.prefix : '',
      stackDelimiter: typeof opts.stack_delimiter === 'string' ? opts.stack_delimiter : kind === 'redis' ? '/' : '-',
      ...at,
    };
  }
  return out;
}

function entries(raw: unknown): Record<string, AuthEntry> {
  if (!isPlainMap(raw)) return {};
  const out: Record<string, AuthEntry> = {};
  for (const [name, v] of Object.entries(raw)) {
    if (!isPlainMap(v)) continue;
    const via = isPlainMap(v.via) ? { provider: optStr(v.via.provider), identity: optStr(v.via.identity) } : undefined;
    out[name] = {
      kind: optStr(v.kind) ?? '',
      via,
      principal: isPlainMap(v.principal) ? v.principal : {},
      spec: isPlainMap(v.spec) ? v.spec : {},
      region: optStr(v.region),
    };
  }
  return out;
}

/** `auth.identities` and `auth.providers`; validated where a store uses them. */
export function parseAuth(raw: unknown): AuthSettings {
  const auth = isPlainMap(raw) ? raw : {};
  return { identities: entries(auth.identities), providers: entries(auth.providers) };
}
