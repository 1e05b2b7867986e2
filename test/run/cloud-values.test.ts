/**
 * Values from the cloud reaching terraform, end to end against moto (docs/stores.md,
 * docs/atmos-compatibility.md §11.6): real terraform applies an instance whose state lives in an
 * s3 backend on moto (assuming a role, as the backend says); then a fresh copy of the repository,
 * as a separate CI job would have it, plans a reader through the bundled action: its
 * `!terraform.state` values come from that object through the AWS SDK, its `!store` value from
 * Parameter Store and its `!secret` from Secrets Manager. The values must reach terraform (the
 * planfile shows them) and the secret must appear nowhere we write: log, outputs, summary, result
 * files, varfile.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { buildWorkdirPath, planFolderPath } from '../../src/util/paths.js';
import { runAction } from '../helpers/action-run.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { apiAction, MOTO_ACCOUNT, signingKey, startMoto, type Moto } from '../helpers/moto.js';
import { requireTerraform, terraformTestEnv } from '../terraform/helpers.js';
import { cli, jsonResults } from './helpers.js';

const SECRET = 'pw-Zx81-correct-horse-battery';
const STATE_ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/state-reader`;
let moto: Moto;
let origin: string;

beforeAll(async () => {
  requireTerraform();
  moto = await startMoto();
  await moto.s3.send(new CreateBucketCommand({ Bucket: 'tfstate' }));
  await moto.s3.send(new CreateBucketCommand({ Bucket: 'httpstate', ACL: 'public-read-write' }));
  await moto.putParameter('/infra/dev/vpc/cidr', '"10.42.0.0/16"');
  await moto.createSecret('/dev/app/db_password', SECRET);
  origin = tempDir('atmos-action-cloud-');
  writeTree(origin, {
    'atmos.yaml': `base_path: "."
components:
  terraform:
    base_path: components/terraform
    auto_generate_backend_file: true
stacks:
  base_path: stacks
  included_paths: ["deploy/*"]
  name_pattern: "{stage}"
stores:
  params:
    kind: aws/ssm
    options: { region: us-east-1, prefix: /infra }
  vault:
    kind: aws/asm
    secret: true
    options: { region: us-east-1 }
templates:
  settings:
    enabled: true
`,
    'components/terraform/vpc/main.tf': `resource "terraform_data" "vpc" { input = "vpc" }
output "vpc_id" { value = "vpc-0abc123" }
output "subnets" { value = ["subnet-a", "subnet-b"] }
`,
    'components/terraform/app/main.tf': `variable "vpc_id" { type = string }
variable "subnets" { type = list(string) }
variable "cidr" { type = string }
variable "password" { type = string }
resource "terraform_data" "app" {
  input = { vpc_id = var.vpc_id, subnets = var.subnets, cidr = var.cidr, password = var.password }
}
`,
    'stacks/deploy/dev.yaml': `vars: { stage: dev }
terraform:
  backend_type: local
  backend: { local: {} }
components:
  terraform:
    vpc:
      backend_type: s3
      backend:
        s3:
          bucket: tfstate
          key: vpc.tfstate
          region: us-east-1
          workspace_key_prefix: ws
          use_path_style: true
          assume_role: { role_arn: "${STATE_ROLE}", session_name: state-session }
    legacy:
      metadata: { component: vpc }
      backend_type: http
      backend:
        http: { address: "${moto.endpoint}/httpstate/legacy.tfstate", update_method: PUT }
    ghost:
      metadata: { component: vpc }
      backend_type: s3
      backend:
        s3: { bucket: tfstate, key: ghost.tfstate, region: us-east-1, use_path_style: true }
    nobucket:
      metadata: { component: vpc }
      backend_type: s3
      backend:
        s3: { bucket: no-such-bucket, key: x.tfstate, region: us-east-1, use_path_style: true }
    app:
      secrets:
        vars:
          db_password: { store: vault }
      vars:
        vpc_id: !terraform.state vpc .vpc_id
        subnets: !terraform.state vpc dev .subnets
        cidr: !store params vpc cidr
        password: !secret db_password
    app-legacy:
      metadata: { component: app }
      vars:
        vpc_id: !terraform.state legacy .vpc_id
        subnets: []
        cidr: x
        password: y
    app-ghost:
      metadata: { component: app }
      vars:
        vpc_id: !terraform.state ghost .vpc_id
        subnets: []
        cidr: x
        password: y
    bystander:
      metadata: { component: app }
      secrets: { vars: { other: { store: vault } } }
      vars: { vpc_id: !store params bystander id, subnets: [], cidr: x, password: !secret other }
    app-out:
      metadata: { component: app }
      vars:
        vpc_id: !terraform.output vpc .vpc_id
        subnets: !terraform.output vpc dev .subnets
        cidr: '{{ (atmos.Component "vpc" .stack).outputs.vpc_id }}/cidr'
        password: y
    app-nobucket:
      metadata: { component: app }
      vars:
        vpc_id: !terraform.state nobucket .vpc_id
        subnets: []
        cidr: x
        password: y
`,
  });
  const applied = await cli(['apply', '--auto-approve', '--components', 'vpc,legacy', '--format', 'json', '-C', origin], {
    ...terraformTestEnv(origin),
    ...moto.env,
  });
  expect(applied.stderr).not.toMatch(/error/i);
  expect(Object.values(jsonResults(applied)).map((r) => r.status)).toEqual(['applied', 'applied']);
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

/** A checkout of the repository without anything a previous job left on disk. */
function freshCopy(): string {
  const dir = tempDir('atmos-action-checkout-');
  fs.cpSync(origin, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.workdir`) && !src.endsWith(`${path.sep}home`) });
  return dir;
}

function everyFile(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** The action's plan of `selection` in the checkout `ws`, against moto, with the test's own terraform home and CLI config. */
function planInAction(ws: string, selection: Record<string, string>) {
  const { HOME, TF_CLI_CONFIG_FILE } = terraformTestEnv(ws);
  return runAction(
    { command: 'plan', ...selection, 'plans-dir': 'plans', 'working-directory': '.' },
    { workspace: ws, env: { ...moto.env, HOME: HOME!, TF_CLI_CONFIG_FILE: TF_CLI_CONFIG_FILE! } },
  );
}

describe('values from the cloud in a plan job', () => {
  it('reads !terraform.state from s3 (assuming the backend role), !store and !secret; terraform gets them; the secret is written nowhere', async () => {
    const ws = freshCopy();
    await moto.clearRequests();
    const run = await planInAction(ws, { stacks: 'dev', components: 'app' });
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('read the state of vpc@dev from s3://tfstate/ws/dev/vpc.tfstate');
    expect(run.stdout).toContain('read 2 value(s) from stores in 2 call(s)');

    // What terraform planned with: the planfile, as terraform itself shows it.
    const folder = path.join(run.outputs['plans-dir']!, 'dev--app');
    const shown = spawnSync('terraform', ['show', '-json', path.join(folder, 'tfplan')], {
      cwd: path.join(ws, '.workdir/terraform/dev-app'),
      env: { ...terraformTestEnv(ws), ...moto.env },
      encoding: 'utf8',
    });
    expect(shown.status).toBe(0);
    const plan = JSON.parse(shown.stdout) as { resource_changes: { change: { after: { input: unknown } } }[] };
    expect(plan.resource_changes[0]!.change.after.input).toEqual({
      vpc_id: 'vpc-0abc123',
      subnets: ['subnet-a', 'subnet-b'],
      cidr: '10.42.0.0/16',
      password: SECRET,
    });

    // The secret: masked for the runner at once, and in nothing we wrote.
    const lines = run.stdout.split('\n');
    expect(lines).toContain(`::add-mask::${SECRET}`);
    expect(lines.filter((l) => l.includes(SECRET) && !l.startsWith('::add-mask::'))).toEqual([]);
    expect(run.stdout).toContain('+ password = "***"');
    expect(run.stderr).not.toContain(SECRET);
    expect(JSON.stringify(run.outputs)).not.toContain(SECRET);
    expect(run.summary).not.toContain(SECRET);
    const written = [...everyFile(folder).filter((f) => !f.endsWith('tfplan')), ...everyFile(path.join(ws, '.workdir'))].filter(
      (f) => !f.includes(`${path.sep}.terraform${path.sep}`) && !f.endsWith('tfplan') && !f.endsWith('.planfile'),
    );
    expect(written.length).toBeGreaterThan(3);
    for (const f of written) expect([f, fs.readFileSync(f, 'utf8').includes(SECRET)]).toEqual([f, false]);

    // The state object was read once, with the role the backend names; no other instance's values were read.
    const requests = await moto.requests();
    expect(requests.filter((r) => r.body.includes('bystander') || r.body.includes('/other'))).toEqual([]);
    const gets = requests.filter((r) => r.method === 'GET' && r.url.includes('/tfstate/ws/dev/vpc.tfstate'));
    expect(gets).toHaveLength(1);
    const assumed = (await moto.assumedRoles()).filter((r) => r.role_arn === STATE_ROLE && r.session_name === 'state-session').map((r) => r.access_key_id);
    expect(assumed).toContain(signingKey(gets[0]!));
  }, 120_000);

  it('with only a web identity token (GitHub OIDC through the standard chain), every read is made as that role', async () => {
    const ws = freshCopy();
    const tokenFile = path.join(ws, 'token');
    fs.writeFileSync(tokenFile, 'eyJ.web-identity.token');
    const role = `arn:aws:iam::${MOTO_ACCOUNT}:role/github-actions`;
    const { AWS_ACCESS_KEY_ID: _k, AWS_SECRET_ACCESS_KEY: _s, ...endpointOnly } = moto.env;
    await moto.clearRequests();
    const r = await cli(['plan', 'app', '-s', 'dev', '--format', 'json', '-C', ws], {
      ...terraformTestEnv(ws),
      ...endpointOnly,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: role,
      AWS_ROLE_SESSION_NAME: 'gha',
    });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const requests = await moto.requests();
    expect(requests.some((q) => apiAction(q) === 'sts.AssumeRoleWithWebIdentity' && q.body.includes('web-identity.token'))).toBe(true);
    const webKeys = (await moto.assumedRoles()).filter((x) => x.role_arn === role).map((x) => x.access_key_id);
    const reads = requests.filter((q) => ['AmazonSSM.GetParameters', 'secretsmanager.BatchGetSecretValue'].includes(apiAction(q)));
    expect(reads).toHaveLength(2);
    for (const q of reads) expect(webKeys).toContain(signingKey(q));
  }, 120_000);

  it('reads !terraform.output and atmos.Component outputs of an instance applied by another job: its workdir initialised here, read-only, once', async () => {
    const ws = freshCopy();
    await moto.clearRequests();
    const run = await planInAction(ws, { stack: 'dev', component: 'app-out' });
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('initialising the workdir of vpc@dev to read it (init only: its state is not changed)');
    // !terraform.output (twice) and atmos.Component read vpc's outputs with one `terraform output -json`.
    expect(run.stdout.split('\n').filter((l) => l.includes('read the outputs of vpc@dev with terraform output -json'))).toHaveLength(1);

    const folder = planFolderPath(run.outputs['plans-dir']!, 'dev', 'app-out');
    const shown = spawnSync('terraform', ['show', '-json', path.join(folder, 'tfplan')], {
      cwd: buildWorkdirPath(ws, 'dev', 'app-out'),
      env: { ...terraformTestEnv(ws), ...moto.env },
      encoding: 'utf8',
    });
    expect(shown.status).toBe(0);
    const plan = JSON.parse(shown.stdout) as { resource_changes: { change: { after: { input: unknown } } }[] };
    expect(plan.resource_changes[0]!.change.after.input).toEqual({
      vpc_id: 'vpc-0abc123',
      subnets: ['subnet-a', 'subnet-b'],
      cidr: 'vpc-0abc123/cidr',
      password: 'y',
    });

    // vpc's state was read in its workspace with the backend's own role, and nothing was written to its bucket.
    const requests = await moto.requests();
    const state = requests.filter((r) => r.url.includes('/tfstate/'));
    expect(state.some((r) => r.method === 'GET' && r.url.includes('/tfstate/ws/dev/vpc.tfstate'))).toBe(true);
    expect(state.filter((r) => !['GET', 'HEAD'].includes(r.method))).toEqual([]);
    expect((await moto.assumedRoles()).some((r) => r.role_arn === STATE_ROLE)).toBe(true);
  }, 120_000);

  it('other backends are read with terraform state pull, in a workdir initialised for reading where it is not on this machine; no state is "not provisioned", a failed read names its code', async () => {
    const env = { ...terraformTestEnv(origin), ...moto.env };
    const here = await cli(['plan', 'app-legacy', '-s', 'dev', '--format', 'json', '-C', origin], env);
    expect(here.stderr).toContain('read the state of legacy@dev with terraform state pull');
    expect(jsonResults(here)['app-legacy']!.status).toBe('changes');

    // Another job: legacy's workdir is provisioned and initialised for reading (init only), its state pulled, never written.
    const ws = freshCopy();
    await moto.clearRequests();
    const elsewhere = await cli(['plan', 'app-legacy', '-s', 'dev', '--format', 'json', '-C', ws], { ...terraformTestEnv(ws), ...moto.env });
    expect(elsewhere.stderr).toContain('initialising the workdir of legacy@dev to read it (init only: its state is not changed)');
    expect(elsewhere.stderr).toContain('read the state of legacy@dev with terraform state pull');
    expect(jsonResults(elsewhere)['app-legacy']!.status).toBe('changes');
    const legacyState = (await moto.requests()).filter((r) => r.url.includes('/httpstate/'));
    expect(legacyState.length).toBeGreaterThan(0);
    expect(legacyState.filter((r) => r.method !== 'GET')).toEqual([]);

    const ghost = await cli(['plan', 'app-ghost', '-s', 'dev', '--format', 'json', '-C', ws], { ...terraformTestEnv(ws), ...moto.env });
    expect(ghost.stderr).toContain('read the state of ghost@dev from s3://tfstate/vpc/dev-ghost/ghost.tfstate (not provisioned)');
    expect(jsonResults(ghost)['app-ghost']!.reason).toMatch(/vars\.vpc_id: !terraform\.state ghost dev \.vpc_id: the instance it reads has no state yet/);

    // Any other failure is named: the instance, the object, the SDK's code.
    const denied = await cli(['plan', 'app-nobucket', '-s', 'dev', '--format', 'json', '-C', ws], { ...terraformTestEnv(ws), ...moto.env });
    expect(jsonResults(denied)['app-nobucket']!.reason).toMatch(
      /^reading the state of nobucket in stack dev from s3:\/\/no-such-bucket\/vpc\/dev-nobucket\/x\.tfstate failed \(NoSuchBucket: /,
    );
  }, 120_000);
});
