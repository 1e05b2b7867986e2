/**
 * `!store`, `!store.get`, `atmos.Store` and `!secret` read from moto's Parameter Store and Secrets
 * Manager (docs/stores.md): Atmos's key layout, `| default` and `| query`, one batched read per
 * key per run, faults that fail only the instance needing the value, masking, and inspection that
 * contacts nothing. Resolution runs in-process with the real cloud adapter; the SDK's standard
 * chain finds moto through AWS_ENDPOINT_URL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { openProject } from '../../src/app/project.js';
import { describeComponent } from '../../src/stacks/describe.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { memoryLog } from '../../src/ports/log.js';
import { apiAction, startMoto, type Moto } from '../helpers/moto.js';
import { resolveReading as resolve, setProcessEnv } from './helpers.js';

let moto: Moto;
let restoreEnv = () => {};

beforeAll(async () => {
  moto = await startMoto();
  restoreEnv = setProcessEnv(moto.env);
}, 60_000);

afterAll(async () => {
  restoreEnv();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.clearRequests();
});

const ATMOS_YAML = `base_path: "."
components:
  terraform:
    base_path: components/terraform
stacks:
  base_path: stacks
  included_paths: ["deploy/*"]
  name_template: "{{ .vars.tenant }}-{{ .vars.stage }}"
templates:
  settings:
    enabled: true
stores:
  params:
    kind: aws/ssm
    options: { region: us-east-1, prefix: /acme }
  legacy:
    type: aws-ssm-parameter-store
    options: { region: us-east-1, stack_delimiter: "_" }
  vault:
    kind: aws/asm
    secret: true
    options: { region: us-east-1, prefix: team }
  plain-asm:
    kind: aws/asm
    options: { region: us-east-1 }
  hcv:
    kind: hashicorp/vault
    options: { address: https://vault.example }
`;

function repo(stack: string, extra: Record<string, string> = {}): string {
  const dir = tempDir('atmos-action-stores-');
  writeTree(dir, { 'atmos.yaml': ATMOS_YAML, 'components/terraform/app/main.tf': '', 'stacks/deploy/dev.yaml': stack, ...extra });
  return dir;
}

async function resolveReading(dir: string, select?: (stack: string, component: string) => boolean) {
  const r = await resolve(dir, select);
  return {
    ...r,
    get: (component: string, stack = 'acme-dev') => r.get(component, stack),
    faults: (component: string, stack = 'acme-dev') => r.faults(component, stack),
  };
}

describe('!store, !store.get and atmos.Store against Parameter Store and Secrets Manager', () => {
  it("reads each function's key in Atmos's layout, with | query, | default and the store's prefix and stack delimiter", async () => {
    await moto.putParameter('/acme/acme/dev/network/vpc/cidr', '"10.0.0.0/16"');
    await moto.putParameter('/acme/acme/dev/network/vpc/config', '{"subnets":{"private":["a","b"]},"count":3}');
    await moto.putParameter('/acme/acme/prod/vpc/id', '"vpc-prod"');
    await moto.putParameter('/acme/shared/region', 'not json at all');
    await moto.putParameter('/acme-dev/app/flag', 'true');
    await moto.createSecret('ops/acme/dev/app/endpoint', '{"url":"https://api.example"}');
    const dir = repo(`vars: { tenant: acme, stage: dev }
components:
  terraform:
    app:
      vars:
        cidr: !store params network/vpc cidr
        subnets: !store params network/vpc config | query .subnets.private
        count: !store params network/vpc config | query .count
        other_stack: !store params acme-prod vpc id
        missing: !store params network/vpc nope | default "not there"
        raw: !store.get params shared/region
        typed: !store legacy app flag
        asm: !store plain-asm acme-dev app endpoint | query .url
        templated: '{{ atmos.Store "params" .stack "network/vpc" "cidr" }}-tpl'
`);
    await moto.createSecret('/acme/dev/app/endpoint', '{"url":"https://asm.example"}');
    const { get, faults, values } = await resolveReading(dir);
    const app = get('app');
    expect(faults('app')).toEqual([]);
    expect(app.vars).toMatchObject({
      cidr: '10.0.0.0/16',
      subnets: ['a', 'b'],
      count: 3,
      other_stack: 'vpc-prod',
      missing: 'not there',
      raw: 'not json at all',
      typed: true,
      asm: 'https://asm.example',
      templated: '10.0.0.0/16-tpl',
    });
    // stack_delimiter "_" keeps acme-dev whole (/acme-dev/app/flag); atmos.Store's key is !store's cidr, read once
    expect(values.stats.keys).toBe(7);
  });

  it('reads every distinct key once per run, ten Parameter Store names per call, however many instances use it', async () => {
    const components = Array.from(
      { length: 30 },
      (_, i) =>
        `    c${i}:\n      metadata: { component: app }\n      vars:\n        shared: !store params shared key\n        own: !store params c${i} key\n        again: !store params c${i} key | query .\n`,
    ).join('');
    for (let i = 0; i < 30; i++) await moto.putParameter(`/acme/acme/dev/c${i}/key`, `"v${i}"`);
    await moto.putParameter('/acme/acme/dev/shared/key', '"one"');
    await moto.clearRequests();
    const dir = repo(`vars: { tenant: acme, stage: dev }\ncomponents:\n  terraform:\n${components}`);
    const { get, values } = await resolveReading(dir);
    expect(get('c7').vars).toMatchObject({ shared: 'one', own: 'v7', again: 'v7' });
    const calls = (await moto.requests()).filter((r) => apiAction(r) === 'AmazonSSM.GetParameters');
    expect(values.stats).toMatchObject({ keys: 31, apiCalls: 4 });
    expect(calls).toHaveLength(4);
    const names = calls.flatMap((c) => (JSON.parse(c.body) as { Names: string[] }).Names);
    expect(new Set(names).size).toBe(31);
    expect(names).toHaveLength(31);
  });

  it('a cycle of output readers that only a store value closes is found once the value is read', async () => {
    // a reads the outputs of the component atmos.Store names (b); b reads a's.
    await moto.putParameter('/acme/acme/dev/pick/which', '"b"');
    const dir = repo(`vars: { tenant: acme, stage: dev }
components:
  terraform:
    a:
      metadata: { component: app }
      vars: { x: !terraform.output '{{ atmos.Store "params" .stack "pick" "which" }} out' }
    b:
      metadata: { component: app }
      vars: { y: !terraform.output a out }
`);
    await expect(resolveReading(dir)).rejects.toThrow(
      /circular dependency between output readers: (a@acme-dev → b@acme-dev → a@acme-dev|b@acme-dev → a@acme-dev → b@acme-dev)/,
    );
  });

  it('a missing key or an unreadable store fails only the instance that needs it, naming store, key, component, stack and the SDK code', async () => {
    await moto.putParameter('/acme/acme/dev/ok/key', '"fine"');
    const dir = repo(`vars: { tenant: acme, stage: dev }
components:
  terraform:
    good:
      metadata: { component: app }
      vars: { v: !store params ok key }
    broken:
      metadata: { component: app }
      vars: { v: !store params gone key }
    vaulted:
      metadata: { component: app }
      vars: { v: !store hcv x key }
    secretive:
      metadata: { component: app }
      vars: { v: !store vault x key }
    unknown:
      metadata: { component: app }
      vars: { v: !store nosuch x key }
    tpl:
      metadata: { component: app }
      vars: { v: '{{ atmos.Store "params" .stack "gone" "key" }}' }
`);
    const { get, faults } = await resolveReading(dir);
    expect(get('good').vars.v).toBe('fine');
    expect(faults('good')).toEqual([]);
    expect(faults('broken')).toEqual([
      'component broken in stack acme-dev: vars.v: !store params gone key: store params (aws/ssm) key /acme/acme/dev/gone/key: not found (ParameterNotFound: parameter /acme/acme/dev/gone/key not found)',
    ]);
    expect(faults('vaulted')[0]).toMatch(/store hcv is of kind hashicorp\/vault, which atmos-action does not read/);
    expect(faults('secretive')[0]).toMatch(/store vault is a secret store \(secret: true\): read it with !secret/);
    expect(faults('unknown')[0]).toMatch(/store "nosuch" is not defined in atmos.yaml `stores:` \(defined: params, legacy, vault, plain-asm, hcv\)/);
    // atmos.Store gives nil on a failed read, as Atmos does (Go prints <no value>)
    expect(get('tpl').vars.v).toBe('<no value>');
    expect(faults('tpl')).toEqual([]);
  });

  it('an unreachable endpoint is a fault with the network code, after the SDK retries', async () => {
    const dir = repo(`vars: { tenant: acme, stage: dev }\ncomponents:\n  terraform:\n    app:\n      vars: { v: !store closed k v }\n`, {
      'atmos.yaml': `${ATMOS_YAML}  closed:\n    kind: aws/ssm\n    options: { region: us-east-1, endpoint: "http://127.0.0.1:9" }\n`,
    });
    const { faults } = await resolveReading(dir);
    expect(faults('app')[0]).toMatch(/store closed \(aws\/ssm\) key \/acme\/dev\/k\/v: read failed \(ECONNREFUSED: /);
  }, 60_000);

  it('inspection reads nothing: !store stays as written, !secret is <MASKED>, atmos.Store says when it is read', async () => {
    const dir = repo(`vars: { tenant: acme, stage: dev }
components:
  terraform:
    app:
      secrets: { vars: { token: { store: vault } } }
      vars:
        v: !store params x y
        s: !secret token
        t: '{{ atmos.Store "params" .stack "x" "y" }}'
`);
    const inspected = openProject({ cwd: dir }, { env: {}, log: memoryLog() });
    const app = inspected.stacks.instance('app', 'acme-dev');
    expect(describeComponent(app, inspected.config).vars).toMatchObject({
      v: '!store params x y',
      s: '<MASKED>',
      t: 'atmos.Store params acme-dev x y (read at run time)',
    });
    // a run reads only for the instances it runs
    const { project } = await resolveReading(dir, (_stack, component) => component === 'nothing');
    expect(describeComponent(project.stacks.instance('app', 'acme-dev'), project.config).vars).toMatchObject({ v: '!store params x y', s: '<MASKED>' });
    expect(await moto.requests()).toEqual([]);
  });

  it("a store key named after an instance is no read of that instance: an instance may read its own keys, two instances each other's", () => {
    const dir = repo(`vars: { tenant: acme, stage: dev }
components:
  terraform:
    app:
      vars: { own: !store params app k, other: !store params peer k }
    peer:
      metadata: { component: app }
      vars: { other: !store params app k }
`);
    const project = openProject({ cwd: dir }, { env: {}, log: memoryLog() });
    expect(describeComponent(project.stacks.instance('app', 'acme-dev'), project.config).vars).toMatchObject({
      own: '!store params app k',
      other: '!store params peer k',
    });
    expect(project.stacks.instance('peer', 'acme-dev').dependsOn).toEqual([]);
    expect(project.stacks.instance('app', 'acme-dev').dependsOn).toEqual([]);
  });

  it('a run reads the keys of the instances it resolves only: the selected ones, and the atmos.Store values of those whose sections they read', async () => {
    for (const k of ['a', 'b', 'c', 'bt']) await moto.putParameter(`/acme/acme/dev/${k}/k`, `"v-${k}"`);
    await moto.clearRequests();
    const dir = repo(`vars: { tenant: acme, stage: dev }
components:
  terraform:
    a:
      metadata: { component: app }
      vars: { v: !store params a k }
    b:
      metadata: { component: app }
      vars: { v: !store params b k, w: '{{ atmos.Store "params" .stack "bt" "k" }}' }
    c:
      metadata: { component: app }
      vars: { v: !store params c k, from_b: '{{ (atmos.Component "b" .stack).vars.w }}' }
`);
    const { get, faults } = await resolveReading(dir, (_stack, component) => component === 'c');
    expect(faults('c')).toEqual([]);
    expect(get('c').vars).toMatchObject({ v: 'v-c', from_b: 'v-bt' });
    const names = (await moto.requests())
      .filter((r) => apiAction(r) === 'AmazonSSM.GetParameters')
      .flatMap((r) => (JSON.parse(r.body) as { Names: string[] }).Names);
    expect(names.sort()).toEqual(['/acme/acme/dev/bt/k', '/acme/acme/dev/c/k']);
  });
});

describe('!secret', () => {
  it('reads declared secrets from secret stores by scope, applies | path and | default, and registers the value for masking', async () => {
    await moto.createSecret('team/acme/dev/app/db', '{"user":"admin","password":"pw-0123456789"}');
    await moto.createSecret('team/acme/dev/stack_token', 'tok-stack-scoped');
    await moto.createSecret('team/global_key', 'key-global-scoped');
    const dir = repo(`vars: { tenant: acme, stage: dev }
secrets:
  vars:
    stack_token: { store: vault }
components:
  terraform:
    app:
      secrets:
        vars:
          db: { store: vault }
          global_key: { store: vault, scope: global }
          absent: { store: vault }
          not_secret: { store: params }
      vars:
        password: !secret db | path .password
        whole: !secret db
        token: !secret stack_token
        global: !secret global_key
        fallback: !secret absent | default none
`);
    const { get, faults, secrets } = await resolveReading(dir);
    const app = get('app');
    expect(faults('app')).toEqual([]);
    expect(app.vars).toMatchObject({
      password: 'pw-0123456789',
      whole: { user: 'admin', password: 'pw-0123456789' },
      token: 'tok-stack-scoped',
      global: 'key-global-scoped',
      fallback: 'none',
    });
    expect(secrets.scrub('pw-0123456789 / tok-stack-scoped / key-global-scoped')).toBe('*** / *** / ***');
    // the declarations keep the scope their position gives them, as Atmos prints them
    expect(app.passthrough.secrets).toMatchObject({ vars: { stack_token: { scope: 'stack' }, db: { scope: 'instance' }, global_key: { scope: 'global' } } });
  });

  it('an undeclared name, a store that is not secret, or a missing value without default fails the instance, naming the secret', async () => {
    const dir = repo(`vars: { tenant: acme, stage: dev }
components:
  terraform:
    a:
      metadata: { component: app }
      vars: { s: !secret nope }
    b:
      metadata: { component: app }
      secrets: { vars: { p: { store: params } } }
      vars: { s: !secret p }
    c:
      metadata: { component: app }
      secrets: { vars: { m: { store: vault } } }
      vars: { s: !secret m }
    d:
      metadata: { component: app }
      secrets: { vars: { f: { sops: team } } }
      vars: { s: !secret f }
`);
    const { faults } = await resolveReading(dir);
    expect(faults('a')[0]).toMatch(/vars\.s: !secret nope: secret nope is not declared \(declare it under the component's secrets\.vars with a store\)/);
    expect(faults('b')[0]).toMatch(/secret p: store params is not a secret store \(set secret: true/);
    expect(faults('c')[0]).toMatch(/secret m: store vault \(aws\/asm\) key team\/acme\/dev\/c\/m: not found \(ResourceNotFoundException: /);
    expect(faults('d')[0]).toMatch(/secret f is kept in a SOPS file/);
  });

  it('a declaration whose explicit scope contradicts its position is a configuration error', () => {
    const dir = repo(`vars: { tenant: acme, stage: dev }
components:
  terraform:
    app:
      secrets: { vars: { s: { store: vault, scope: stack } } }
`);
    expect(() => openProject({ cwd: dir }, { env: {}, log: memoryLog() }).stacks.instance('app', 'acme-dev')).toThrow(
      /secrets\.vars\.s declares scope "stack" but its position makes it instance-scoped/,
    );
  });
});
