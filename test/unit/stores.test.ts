/**
 * The pure parts of stores and remote state (docs/stores.md): atmos.yaml `stores:` as Atmos reads
 * it, the argument grammar of `!store`, `!store.get` and `!secret`, each kind's key layout and
 * decoding, where each backend keeps its state object, and values read as secret in the secret registry.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadAtmosConfig } from '../../src/config/load.js';
import { parseStores, type StoreConfig } from '../../src/config/stores.js';
import { parseSecretArgs, parseStoreArgs, parseStoreGetArgs } from '../../src/stacks/functions/store-args.js';
import { decodeStored, rawStoreKey, storeKey } from '../../src/stacks/functions/store-registry.js';
import type { Instance } from '../../src/stacks/types.js';
import { s3BackendAccess, stateObject } from '../../src/terraform/state-readers.js';
import { AtmosError } from '../../src/util/errors.js';
import { secretRegistry } from '../../src/util/secrets.js';
import { tempDir } from '../helpers/fs.js';

const store = (over: Partial<StoreConfig>): StoreConfig => ({
  name: 's',
  kind: 'aws/ssm',
  secret: false,
  options: {},
  prefix: '',
  stackDelimiter: '-',
  ...over,
});

describe('atmos.yaml stores:', () => {
  it('reads kind or the legacy type, secret, identity and options; each kind keeps its own stack delimiter default', () => {
    const s = parseStores(
      {
        a: { type: 'aws-ssm-parameter-store', options: { region: 'eu-west-1', prefix: '/p' } },
        b: { kind: 'aws/asm', secret: true, identity: 'ci', options: { region: 'eu-west-1', stack_delimiter: '_' } },
        c: { type: 'redis', options: { url: 'redis://x' } },
        d: { kind: 'onepassword' },
        e: { type: 'google-secret-manager', options: { project_id: 'p' } },
      },
      null,
    );
    expect(s.a).toMatchObject({ kind: 'aws/ssm', secret: false, prefix: '/p', stackDelimiter: '-' });
    expect(s.b).toMatchObject({ kind: 'aws/asm', secret: true, identity: 'ci', stackDelimiter: '_' });
    expect(s.c).toMatchObject({ kind: 'redis', stackDelimiter: '/' });
    expect(s.d).toMatchObject({ kind: 'onepassword', secret: true });
    expect(s.e).toMatchObject({ kind: 'gcp/secretmanager' });
  });

  it('refuses an unknown kind, an AWS store without region and an unencrypted secret store, naming the store, file and line', () => {
    const dir = tempDir('atmos-action-stores-config-');
    const write = (stores: string) => fs.writeFileSync(path.join(dir, 'atmos.yaml'), `base_path: "."\nstores:\n${stores}`);
    const fails = (stores: string): AtmosError => {
      write(stores);
      try {
        loadAtmosConfig({ cwd: dir, env: {} });
      } catch (e) {
        return e as AtmosError;
      }
      throw new Error('expected a configuration error');
    };
    let e = fails('  ok:\n    kind: aws/ssm\n    options: { region: us-east-1 }\n  typo:\n    kind: aws/smm\n');
    expect(e.message).toMatch(/^stores\.typo: unknown store kind "aws\/smm"; Atmos knows aws\/ssm, aws\/asm, /);
    expect([e.file, e.line]).toEqual([path.join(dir, 'atmos.yaml'), 6]);
    e = fails('  params:\n    kind: aws/asm\n');
    expect(e.message).toBe('stores.params: a aws/asm store needs `options.region`');
    e = fails('  cache:\n    kind: redis\n    secret: true\n');
    expect(e.message).toMatch(/stores\.cache: `secret: true` on a redis store would keep secrets unencrypted at rest/);
  });
});

describe('function arguments, as Atmos parses them', () => {
  it('!store: 3 or 4 words, | default takes one (quoted) token and stays a string, | query takes the rest', () => {
    expect(parseStoreArgs('ssm vpc id')).toEqual({ store: 'ssm', component: 'vpc', key: 'id' });
    expect(parseStoreArgs(`ssm plat-ue2-prod vpc id | default "a b" | query .x[0]`)).toEqual({
      store: 'ssm',
      stack: 'plat-ue2-prod',
      component: 'vpc',
      key: 'id',
      default: 'a b',
      query: '.x[0]',
    });
    expect(parseStoreArgs(`ssm vpc id | query .a | default 42`)).toMatchObject({ query: '.a', default: '42' });
    expect(parseStoreArgs(`ssm vpc id | default 'it''s'`).default).toBe("it's");
    expect(() => parseStoreArgs('ssm id')).toThrow(/usage: !store <store> \[<stack>\] <component> <key>/);
    expect(() => parseStoreArgs('ssm vpc id | default a b')).toThrow(/`\| default` takes one value/);
    expect(() => parseStoreArgs('ssm vpc id | default')).toThrow(/`\| default` needs a value/);
    expect(() => parseStoreArgs('ssm vpc | id')).toThrow(/unexpected `\|`/);
    expect(() => parseStoreArgs('ssm vpc "id')).toThrow(/unterminated/);
  });

  it('!store.get: store and key; !secret: NAME with | path and | default', () => {
    expect(parseStoreGetArgs('ssm /global/x | default none')).toEqual({ store: 'ssm', key: '/global/x', default: 'none' });
    expect(() => parseStoreGetArgs('ssm a b')).toThrow(/usage: !store\.get/);
    expect(parseSecretArgs('db | path .password | default "x"')).toEqual({ name: 'db', path: '.password', default: 'x' });
    expect(() => parseSecretArgs('db | shape x')).toThrow(/unknown modifier "shape"/);
    expect(() => parseSecretArgs('')).toThrow(/usage: !secret/);
  });
});

describe('keys and values per store kind (Atmos pkg/store/providers)', () => {
  const c = { stack: 'plat-ue2-prod', component: 'net/vpc', key: 'id' };
  it('lays out (stack, component, key) and !store.get keys as each backend names them', () => {
    expect(storeKey(store({ prefix: '/acme' }), c)).toBe('/acme/plat/ue2/prod/net/vpc/id');
    expect(storeKey(store({}), c)).toBe('/plat/ue2/prod/net/vpc/id');
    expect(storeKey(store({ prefix: 'acme' }), { stack: 'dev', component: '', key: 'k' })).toBe('acme/dev/k');
    expect(storeKey(store({ kind: 'gcp/secretmanager', prefix: 'acme' }), c)).toBe('acme_plat_ue2_prod_net_vpc_id');
    expect(storeKey(store({ kind: 'azure/keyvault', prefix: 'acme' }), { ...c, key: 'db_pass' })).toBe('acme-plat-ue2-prod-net-vpc-db-pass');
    expect(storeKey(store({ kind: 'redis', prefix: 'acme', stackDelimiter: '/' }), { ...c, stack: 'plat/prod' })).toBe('acme/plat/prod/net/vpc/id');
    expect(rawStoreKey(store({ prefix: 'acme' }), 'x/y')).toBe('/acme/x/y');
    expect(rawStoreKey(store({ kind: 'aws/asm', prefix: 'acme' }), 'x/y')).toBe('acme/x/y');
    expect(rawStoreKey(store({ kind: 'redis', prefix: 'acme' }), 'x')).toBe('acme:x');
    expect(rawStoreKey(store({ kind: 'gcp/secretmanager', prefix: 'acme' }), 'x')).toBe('acme_x');
  });

  it('decodes JSON, keeps other text, and keeps a secret Parameter Store scalar byte for byte', () => {
    expect(decodeStored(store({}), '{"a":[1]}')).toEqual({ a: [1] });
    expect(decodeStored(store({}), '"quoted"')).toBe('quoted');
    expect(decodeStored(store({}), 'plain text')).toBe('plain text');
    expect(decodeStored(store({}), '1e5')).toBe(100000);
    expect(decodeStored(store({ secret: true }), '1e5')).toBe('1e5');
    expect(decodeStored(store({ secret: true }), '"quoted"')).toBe('quoted');
  });
});

describe('where !terraform.state finds each backend state', () => {
  const target = (backendType: string, backend: Record<string, unknown>, workspace = 'plat-dev', env: Record<string, unknown> = {}) =>
    ({ stack: 'plat-dev', component: 'vpc', backendType, backend, workspace, env }) as unknown as Instance;

  it('s3: key, or <workspace_key_prefix>/<workspace>/<key>; the backend role, profile, keys and endpoints', () => {
    const s3 = stateObject(
      target('s3', {
        bucket: 'b',
        key: 'vpc.tfstate',
        region: 'eu-west-1',
        workspace_key_prefix: 'vpc',
        assume_role: { role_arn: 'arn:aws:iam::1:role/r', external_id: 'x', duration: '1h' },
        endpoints: { s3: 'http://s3.local', sts: 'http://sts.local' },
        force_path_style: true,
      }),
    )!;
    expect(s3.shown).toBe('s3://b/vpc/plat-dev/vpc.tfstate');
    expect(s3.where).toMatchObject({
      kind: 's3',
      pathStyle: true,
      aws: {
        region: 'eu-west-1',
        endpoint: 'http://s3.local',
        stsEndpoint: 'http://sts.local',
        roles: [{ kind: 'assume', roleArn: 'arn:aws:iam::1:role/r', externalId: 'x', durationSeconds: 3600 }],
      },
    });
    expect(stateObject(target('s3', { bucket: 'b', key: 'k', region: 'r' }, 'default'))!.shown).toBe('s3://b/k');
    expect(
      s3BackendAccess({ region: 'r', role_arn: 'arn:legacy', access_key: 'AK', secret_key: 'SK', profile: 'p' }, { AWS_PROFILE: 'ignored' }, 'x'),
    ).toMatchObject({
      profile: 'p',
      staticKeys: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      roles: [{ kind: 'assume', roleArn: 'arn:legacy' }],
    });
    // The read instance's env section names the profile and the endpoint when the backend does not.
    expect(s3BackendAccess({}, { AWS_REGION: 'eu-central-1', AWS_PROFILE: 'prod', AWS_ENDPOINT_URL_S3: 'http://e' }, 'x')).toMatchObject({
      region: 'eu-central-1',
      profile: 'prod',
      endpoint: 'http://e',
    });
    expect(() => s3BackendAccess({}, {}, 'vpc in stack dev')).toThrow(/reading the state of vpc in stack dev: its s3 backend has no `region`/);
  });

  it('gcs: <prefix>/<workspace>.tfstate; azurerm: key, or <key>env:<workspace>; other types are pulled with terraform', () => {
    expect(stateObject(target('gcs', { bucket: 'g', prefix: 'tf/vpc/' }))!.where).toMatchObject({
      kind: 'gcs',
      bucket: 'g',
      object: 'tf/vpc/plat-dev.tfstate',
    });
    expect(stateObject(target('gcs', { bucket: 'g' }, 'default'))!.shown).toBe('gs://g/default.tfstate');
    expect(
      stateObject(target('azurerm', { storage_account_name: 'acct', container_name: 'tf', key: 'vpc.tfstate', environment: 'usgovernment' }))!.where,
    ).toMatchObject({
      kind: 'azurerm',
      blob: 'vpc.tfstateenv:plat-dev',
      blobSuffix: 'blob.core.usgovernmentcloudapi.net',
    });
    expect(stateObject(target('azurerm', { storage_account_name: 'acct', container_name: 'tf' }, 'default'))!.shown).toBe(
      'azurerm://acct/tf/terraform.tfstate',
    );
    expect(stateObject(target('remote', {}))).toBeUndefined();
    expect(stateObject(target('consul', {}))).toBeUndefined();
  });
});

describe("values read as secret, in the run's secret registry", () => {
  it('registers every string and scalar of a value and each line of a multi-line one; scrubs them, their JSON form, and map keys; short values are left alone', () => {
    const seen: string[] = [];
    const secrets = secretRegistry((v) => seen.push(v));
    secrets.addValue({ user: 'admin-user', pass: 'line one\nline two', n: 123456, short: 'on' });
    expect(secrets.scrub('admin-user / line one\nline two / "line one\\nline two" / 123456 / on')).toBe('*** / *** / "***" / *** / on');
    // a line printed alone (terraform wraps long values) is scrubbed too
    expect(secrets.scrub('  line two')).toBe('  ***');
    // the runner is told of each, short ones included
    expect(seen).toEqual(['admin-user', 'line one\nline two', 'line one', 'line two', '123456', 'on']);
    expect(secrets.holdsIn({ deep: ['x', 'prefix-admin-user-suffix'] })).toBe(true);
    expect(secrets.holdsIn({ deep: ['x', 'on'] })).toBe(false);
    expect(secrets.scrubValue({ reason: 'failed: admin-user', n: 1, 'admin-user': true })).toEqual({ reason: 'failed: ***', n: 1, '***': true });
  });
});
