import fs from 'node:fs';
import path from 'node:path';
import { sharedCredentials } from '../../src/graph/credentials.js';
import { runAction, type ActionRun } from '../helpers/action-run.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/**
 * What the matrix job hands the plan legs, through the bundled action: the tool each instance runs
 * (OpenTofu from atmos.yaml's command, or the workflow's terraform-command input), the versions to
 * install, the roles and region from the stack settings Cloud Posse's actions read, and a warning,
 * not silence, for Atmos auth: identities.
 */
const PLAN_ROLE = 'arn:aws:iam::111111111111:role/plan';
const APPLY_ROLE = 'arn:aws:iam::111111111111:role/apply';

function repo(region = 'eu-central-1'): string {
  return writeTree(tempDir('atmos-matrix-creds-'), {
    'atmos.yaml': [
      'base_path: "."',
      'components: { terraform: { base_path: components/terraform, command: tofu } }',
      'stacks: { base_path: stacks, included_paths: ["*.yaml"], name_pattern: "{stage}" }',
      'auth:',
      '  providers: { company-sso: { kind: aws/iam-identity-center, region: us-east-1, start_url: "https://x.awsapps.com/start" } }',
      '  identities: { admin: { kind: aws/permission-set, via: { provider: company-sso } } }',
      '',
    ].join('\n'),
    'components/terraform/vpc/main.tf': '',
    'components/terraform/app/main.tf': '',
    'stacks/dev.yaml': [
      'vars: { stage: dev }',
      'components:',
      '  terraform:',
      '    vpc:',
      '      settings:',
      '        integrations:',
      '          github:',
      '            gitops:',
      `              role: { plan: "${PLAN_ROLE}", apply: "${APPLY_ROLE}" }`,
      `              artifact-storage: { region: "${region}" }`,
      '    app:',
      '      command: terraform',
      '      auth: { identities: { admin: { default: true } } }',
      '',
    ].join('\n'),
    '.opentofu-version': '1.10.6\n',
  });
}

const matrixOf = (r: ActionRun) => JSON.parse(r.outputs.matrix!) as { include: Record<string, string>[] };
const warnings = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::warning'));

describe('the matrix for the workflows', () => {
  it("carries each leg's tool, roles and region, the versions to install, and says Atmos auth is not used", async () => {
    const ws = repo();
    const r = await runAction({ command: 'matrix', 'tool-versions': 'true', 'terraform-version': '1.11.4' }, { workspace: ws });
    expect(r.code).toBe(0);
    const byComponent = Object.fromEntries(matrixOf(r).include.map((e) => [e.component, e]));
    expect(byComponent.vpc).toMatchObject({ tool: 'tofu', role_plan: PLAN_ROLE, role_apply: APPLY_ROLE, region: 'eu-central-1' });
    expect(byComponent.app!.tool).toBe('terraform');
    expect(Object.keys(byComponent.app!)).not.toContain('role_plan'); // unset: absent, the leg falls back to the workflow input
    expect([r.outputs['terraform-version'], r.outputs['opentofu-version']]).toEqual(['1.11.4', '1.10.6']);
    expect(warnings(r)).toEqual([
      expect.stringContaining('atmos.yaml declares Atmos auth (providers.company-sso, identities.admin); atmos-action does not use it: terraform runs with'),
      expect.stringContaining('1 selected instance(s) have an Atmos auth: section (app in dev); atmos-action does not use it'),
    ]);
  });

  it("the workflows' terraform-command input: empty keeps atmos.yaml's tofu, terraform replaces it", async () => {
    const ws = repo();
    const tools = async (command: string) =>
      matrixOf(await runAction({ command: 'matrix' }, { workspace: ws, env: { ATMOS_COMPONENTS_TERRAFORM_COMMAND: command } })).include.map(
        (e) => `${e.component}:${e.tool}`,
      );
    expect(await tools('')).toEqual(['app:terraform', 'vpc:tofu']);
    expect(await tools('terraform')).toEqual(['app:terraform', 'vpc:terraform']);
  });

  it('a role or region that is not one line of text, or not a region, stops the matrix, on the stack file', async () => {
    const ws = repo('Frankfurt');
    const r = await runAction({ command: 'matrix' }, { workspace: ws });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error file=stacks\/dev\.yaml::stacks\/dev\.yaml: settings\.integrations\.github\.gitops\.artifact-storage\.region of component vpc in stack dev must be an AWS region such as us-east-2, not "Frankfurt"/,
    );
    fs.writeFileSync(
      path.join(ws, 'stacks/dev.yaml'),
      fs.readFileSync(path.join(ws, 'stacks/dev.yaml'), 'utf8').replace(`plan: "${PLAN_ROLE}"`, 'plan: [a, b]'),
    );
    const list = await runAction({ command: 'matrix' }, { workspace: ws });
    expect(list.stdout).toMatch(/role\.plan of component vpc in stack dev must be one line of text/);
  });
});

describe('one job, one set of credentials', () => {
  it('instances share the fallback when they name none; a difference names who needs what', () => {
    const fallback = { role: 'arn:aws:iam::1:role/call', region: 'us-east-2' };
    expect(sharedCredentials([{ key: 'a' }, { key: 'b', region: 'us-east-2' }], fallback, 'x')).toEqual(fallback);
    expect(sharedCredentials([{ key: 'a' }], {}, 'x')).toEqual({});
    expect(() => sharedCredentials([{ key: 'a' }, { key: 'b', region: 'eu-west-1' }], fallback, 'the 2 instance(s) of levels 5–6')).toThrow(
      'the 2 instance(s) of levels 5–6 run in one job, which assumes one region, but they need different ones: us-east-2 for a; eu-west-1 for b.',
    );
  });
});
