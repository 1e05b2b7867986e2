/**
 * The roles a store assumes before it reads (docs/stores.md), against moto's STS: Parameter Store's
 * `read_role_arn` (AssumeRole), and an `identity` of kind `aws/assume-role` reached through a
 * `github/oidc` provider (the job's OIDC token, AssumeRoleWithWebIdentity) and through another
 * identity (a chain). Each read is checked by the credentials that signed it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { tempDir, writeTree } from '../helpers/fs.js';
import { apiAction, MOTO_ACCOUNT, signingKey, startMoto, type Moto } from '../helpers/moto.js';
import { resolveReading, setProcessEnv } from './helpers.js';

const ROLE = (name: string) => `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}`;
let moto: Moto;
let oidc: http.Server;
const tokenRequests: { audience: string | null; auth: string | undefined }[] = [];
let restoreEnv = () => {};

beforeAll(async () => {
  moto = await startMoto();
  // GitHub's OIDC token endpoint, as a runner exposes it to a job with `id-token: write`.
  oidc = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    tokenRequests.push({ audience: url.searchParams.get('audience'), auth: req.headers.authorization });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ value: 'eyJhbGciOiJSUzI1NiJ9.github-oidc-token.signature' }));
  });
  await new Promise<void>((r) => oidc.listen(0, '127.0.0.1', r));
  const env = {
    ...moto.env,
    ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${(oidc.address() as AddressInfo).port}/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runtime-bearer',
  };
  restoreEnv = setProcessEnv(env);
  for (const p of ['reader', 'ci', 'admin']) await moto.putParameter(`/${p}/dev/app/key`, `"via-${p}"`);
  await moto.clearRequests();
}, 60_000);

afterAll(async () => {
  restoreEnv();
  await new Promise((r) => oidc?.close(r));
  await moto?.stop();
});

describe('roles and identities of stores', () => {
  it('assumes read_role_arn, a github/oidc identity and a chained identity, and reads with their credentials', async () => {
    const dir = tempDir('atmos-action-roles-');
    writeTree(dir, {
      'atmos.yaml': `base_path: "."
components: { terraform: { base_path: components/terraform } }
stacks: { base_path: stacks, included_paths: ["deploy/*"], name_pattern: "{stage}" }
auth:
  providers:
    github:
      kind: github/oidc
      spec: { audience: sts.amazonaws.com }
  identities:
    ci:
      kind: aws/assume-role
      via: { provider: github }
      principal: { assume_role: ${ROLE('ci')} }
    admin:
      kind: aws/assume-role
      via: { identity: ci }
      principal: { assume_role: ${ROLE('admin')}, session_name: admin-session, duration: 1h }
stores:
  reader:
    kind: aws/ssm
    options: { region: us-east-1, prefix: /reader, read_role_arn: ${ROLE('reader')} }
  ci:
    kind: aws/ssm
    identity: ci
    options: { region: us-east-1, prefix: /ci }
  admin:
    kind: aws/ssm
    identity: admin
    options: { region: us-east-1, prefix: /admin }
`,
      'stacks/deploy/dev.yaml': `vars: { stage: dev }
components:
  terraform:
    app:
      vars:
        a: !store reader app key
        b: !store ci app key
        c: !store admin app key
`,
    });
    const run = await resolveReading(dir);
    const app = run.get('app', 'dev');
    expect(app.unsupported).toEqual([]);
    expect(run.faults('app', 'dev')).toEqual([]);
    expect(app.vars).toMatchObject({ a: 'via-reader', b: 'via-ci', c: 'via-admin' });

    // The runner's token endpoint was asked for the provider's audience, with the job's bearer token.
    expect(tokenRequests).toContainEqual({ audience: 'sts.amazonaws.com', auth: 'Bearer runtime-bearer' });

    const roles = await moto.assumedRoles();
    const keyOf = (role: string) => roles.filter((r) => r.role_arn === ROLE(role)).map((r) => r.access_key_id);
    expect(roles.find((r) => r.role_arn === ROLE('reader'))?.session_name).toBe('atmos-ssm-session');
    expect(roles.find((r) => r.role_arn === ROLE('admin'))?.session_name).toBe('admin-session');

    const requests = await moto.requests();
    const reads = requests.filter((r) => apiAction(r) === 'AmazonSSM.GetParameters');
    const readBy = (prefix: string) => reads.filter((r) => r.body.includes(`"/${prefix}/`)).map(signingKey);
    expect(readBy('reader')).toEqual([expect.stringMatching(/^ASIA/)]);
    expect(keyOf('reader')).toContain(readBy('reader')[0]);
    expect(keyOf('ci')).toContain(readBy('ci')[0]);
    expect(keyOf('admin')).toContain(readBy('admin')[0]);

    // ci came from the web identity token, not from the job's keys; admin was assumed with ci's credentials.
    const sts = requests.filter((r) => apiAction(r).startsWith('sts.'));
    const webIdentity = sts.filter((r) => apiAction(r) === 'sts.AssumeRoleWithWebIdentity');
    expect(webIdentity.length).toBeGreaterThan(0);
    expect(webIdentity.every((r) => r.body.includes('github-oidc-token') && r.body.includes(encodeURIComponent(ROLE('ci'))))).toBe(true);
    const adminAssume = sts.filter((r) => apiAction(r) === 'sts.AssumeRole' && r.body.includes(encodeURIComponent(ROLE('admin'))));
    expect(adminAssume.length).toBeGreaterThan(0);
    for (const r of adminAssume) expect(keyOf('ci')).toContain(signingKey(r));
    const readerAssume = sts.filter((r) => apiAction(r) === 'sts.AssumeRole' && r.body.includes(encodeURIComponent(ROLE('reader'))));
    for (const r of readerAssume) expect(signingKey(r)).toBe('AKIDTESTBASE');
  });

  it('an identity atmos-action cannot reach (an SSO provider, another kind) fails the instance, naming the store and the identity', async () => {
    const dir = tempDir('atmos-action-roles-');
    writeTree(dir, {
      'atmos.yaml': `base_path: "."
components: { terraform: { base_path: components/terraform } }
stacks: { base_path: stacks, included_paths: ["deploy/*"], name_pattern: "{stage}" }
auth:
  providers:
    sso: { kind: aws/iam-identity-center, start_url: "https://x.awsapps.com/start", region: us-east-1 }
  identities:
    dev: { kind: aws/assume-role, via: { provider: sso }, principal: { assume_role: ${ROLE('dev')} } }
    perm: { kind: aws/permission-set, via: { provider: sso }, principal: { name: Admin } }
stores:
  a: { kind: aws/ssm, identity: dev, options: { region: us-east-1 } }
  b: { kind: aws/ssm, identity: perm, options: { region: us-east-1 } }
  c: { kind: aws/ssm, identity: ghost, options: { region: us-east-1 } }
`,
      'stacks/deploy/dev.yaml':
        'vars: { stage: dev }\ncomponents:\n  terraform:\n    app:\n      vars:\n        a: !store a app key\n        b: !store b app key\n        c: !store c app key\n',
    });
    await moto.clearRequests();
    const messages = (await resolveReading(dir)).faults('app', 'dev');
    expect(messages).toEqual([
      expect.stringMatching(
        /vars\.a: !store a app key: store a: identity dev: provider sso is of kind "aws\/iam-identity-center", which needs Atmos's interactive login/,
      ),
      expect.stringMatching(/vars\.b: .*store b: identity perm is of kind "aws\/permission-set"; atmos-action assumes aws\/assume-role identities only/),
      expect.stringMatching(/vars\.c: .*store c: identity ghost is not defined under auth\.identities/),
    ]);
    expect(await moto.requests()).toEqual([]);
  });
});
