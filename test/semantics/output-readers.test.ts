/**
 * Output readers in describe and resolution (docs/atmos-compatibility.md §11.6): `!terraform.state`
 * read from local state that exists at describe time, cycles between readers, and references to
 * instances that do not exist. Layouts shaped like Atmos's own fixtures (a state file shipped in the
 * component folder; a JIT workdir holding the producer's state), written here; no terraform runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { describeComponent, describeStacks } from '../../src/app/describe.js';
import { readEnvSettings } from '../../src/app/env-settings.js';
import { matrix } from '../../src/app/matrix.js';
import { openProject, type AppPorts } from '../../src/app/project.js';
import { runInstances } from '../../src/app/run.js';
import { fixedClock } from '../../src/ports/clock.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { silentLog } from '../../src/ports/log.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { expectAtmosError } from './helpers.js';

const ATMOS_YAML = `base_path: "./"
components:
  terraform:
    base_path: "components/terraform"
stacks:
  base_path: "stacks"
  included_paths: ["deploy/**/*"]
  excluded_paths: ["**/_defaults.yaml"]
  name_template: "{{.vars.stage}}"
templates:
  settings:
    enabled: true
`;

const state = (outputs: Record<string, unknown>) =>
  JSON.stringify({
    version: 4,
    terraform_version: '1.11.0',
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value, type: 'string' }])),
  });

const ports: AppPorts = { env: {}, envSettings: readEnvSettings({}), log: silentLog, clock: fixedClock('2026-04-01T00:00:00Z'), exec: nodeExec };

function repo(files: Record<string, string>): string {
  return writeTree(tempDir('atmos-readers-'), { 'atmos.yaml': ATMOS_YAML, 'components/terraform/mock/main.tf': '', ...files });
}

const open = (cwd: string) => openProject({ cwd }, ports);

// Atmos's atmos-terraform-state-custom-delimiters fixture, with the usual delimiters: the producer
// has a named workspace, so its state sits in the component folder under terraform.tfstate.d.
const COMPONENT_FOLDER_STACK = `vars:
  stage: test
components:
  terraform:
    component-1:
      metadata:
        component: mock
      vars:
        foo: one
    component-2:
      metadata:
        component: mock
      vars:
        foo: !terraform.state component-1 foo
        bar: !terraform.state component-1 {{ .stack }} bar
        list: !terraform.state component-1 .list
        missing: !terraform.state component-1 '.nothing // "fallback"'
        text: "prefix-{{ (atmos.Component \\"component-1\\" .stack).vars.foo }}"
    component-3:
      metadata:
        component: mock
      vars:
        early: !terraform.state component-4 foo
    component-4:
      metadata:
        component: mock
`;

describe('!terraform.state in describe (§11.6)', () => {
  it('reads the state in the component folder, where Atmos looks for a local backend without workdirs', () => {
    const cwd = repo({
      'stacks/deploy/test.yaml': COMPONENT_FOLDER_STACK,
      'components/terraform/mock/terraform.tfstate.d/test-component-1/terraform.tfstate': state({
        foo: 'foo-from-state',
        bar: 'bar-from-state',
        list: ['a', 'b'],
      }),
    });
    const d = describeComponent(open(cwd), { component: 'component-2', stack: 'test' });
    expect(d.vars).toMatchObject({ foo: 'foo-from-state', bar: 'bar-from-state', list: ['a', 'b'], missing: 'fallback' });
    // the dependency edge stays: the reader still runs after what it reads
    expect(d.resolved_dependencies).toEqual([{ component: 'component-1', stack: 'test', via: '!terraform.state' }]);
  });

  it('keeps the value unresolved where no state exists (component-4 was never applied)', () => {
    const cwd = repo({ 'stacks/deploy/test.yaml': COMPONENT_FOLDER_STACK });
    const d = describeComponent(open(cwd), { component: 'component-3', stack: 'test' });
    expect((d.vars as Record<string, unknown>).early).toBe('!terraform.state component-4 test .foo (unresolved: read at run time)');
  });

  it('describe stacks fills in the same values, and leaves the readers of missing state unresolved', () => {
    const cwd = repo({
      'stacks/deploy/test.yaml': COMPONENT_FOLDER_STACK,
      'components/terraform/mock/terraform.tfstate.d/test-component-1/terraform.tfstate': state({ foo: 'foo-from-state', bar: 'bar-from-state', list: [] }),
    });
    const out = describeStacks(open(cwd), { stacks: [], components: [] }, ports) as Record<
      string,
      { components: { terraform: Record<string, { vars: Record<string, unknown> }> } }
    >;
    const tf = out.test!.components.terraform;
    expect(tf['component-2']!.vars).toMatchObject({ foo: 'foo-from-state', bar: 'bar-from-state', list: [] });
    expect(tf['component-3']!.vars.early).toMatch(/unresolved: read at run time/);
  });

  it('reads the workdir of a workdir-enabled producer (Atmos terraform-state-jit-workdir), inherited readers included', () => {
    const cwd = repo({
      'stacks/deploy/test.yaml': `vars:
  stage: test
components:
  terraform:
    producer:
      metadata:
        component: mock
      provision:
        workdir:
          enabled: true
    consumer:
      metadata:
        component: mock
      vars:
        foo: !terraform.state producer test foo
    producer-reader/abstract:
      metadata:
        component: mock
        type: abstract
      vars:
        foo: !terraform.state producer test foo
    inheritor:
      metadata:
        component: mock
        inherits: [producer-reader/abstract]
`,
      '.workdir/terraform/test-producer/terraform.tfstate.d/test-producer/terraform.tfstate': state({ foo: 'foo-from-jit-state' }),
      // Atmos does not look in the component folder of a workdir-enabled instance
      'components/terraform/mock/terraform.tfstate.d/test-producer/terraform.tfstate': state({ foo: 'stale-folder-state' }),
    });
    for (const component of ['consumer', 'inheritor']) {
      expect((describeComponent(open(cwd), { component, stack: 'test' }).vars as Record<string, unknown>).foo).toBe('foo-from-jit-state');
    }
  });

  it("prefers the instance's own workdir, where atmos-action runs terraform, over the component folder", () => {
    const cwd = repo({
      'stacks/deploy/test.yaml': COMPONENT_FOLDER_STACK,
      'components/terraform/mock/terraform.tfstate.d/test-component-1/terraform.tfstate': state({ foo: 'from-folder' }),
      '.workdir/terraform/test-component-h1/terraform.tfstate.d/test-component-1/terraform.tfstate': state({ foo: 'from-workdir' }),
    });
    expect((describeComponent(open(cwd), { component: 'component-2', stack: 'test' }).vars as Record<string, unknown>).foo).toBe('from-workdir');
  });

  it('a local backend path outside the repository is never read; a default workspace reads `path`', () => {
    const outside = tempDir('atmos-outside-');
    fs.writeFileSync(path.join(outside, 'x.tfstate'), state({ foo: 'secret' }));
    const stack = (p: string) => `vars:
  stage: test
terraform:
  backend_type: local
components:
  terraform:
    producer:
      metadata:
        component: mock
        terraform_workspace: default
      backend:
        local:
          path: ${JSON.stringify(p)}
    reader:
      metadata:
        component: mock
      vars:
        foo: !terraform.state producer foo
`;
    let cwd = repo({ 'stacks/deploy/test.yaml': stack(path.join(outside, 'x.tfstate')) });
    expect((describeComponent(open(cwd), { component: 'reader', stack: 'test' }).vars as Record<string, unknown>).foo).toMatch(/unresolved/);
    cwd = repo({ 'stacks/deploy/test.yaml': stack('states/producer.tfstate'), 'components/terraform/mock/states/producer.tfstate': state({ foo: 'bar' }) });
    expect((describeComponent(open(cwd), { component: 'reader', stack: 'test' }).vars as Record<string, unknown>).foo).toBe('bar');
  });

  it('a state file that is not JSON is an error naming the file', () => {
    const cwd = repo({
      'stacks/deploy/test.yaml': COMPONENT_FOLDER_STACK,
      'components/terraform/mock/terraform.tfstate.d/test-component-1/terraform.tfstate': '{ not json',
    });
    const e = expectAtmosError(() => describeComponent(open(cwd), { component: 'component-2', stack: 'test' }));
    expect(e.message).toMatch(/!terraform\.state component-1 test \.foo: the state file of component-1 in stack test is not valid JSON/);
    expect(e.file).toBe(path.join(cwd, 'components/terraform/mock/terraform.tfstate.d/test-component-1/terraform.tfstate'));
  });
});

/** Atmos's yaml-functions-circular-deps fixtures: two readers that read each other. */
function cycleRepo(bRead: string): string {
  return repo({
    'stacks/deploy/test.yaml': `vars:
  stage: test
components:
  terraform:
    component-a:
      metadata:
        component: mock
      vars:
        string_var: !terraform.state component-b test string_var
    component-b:
      metadata:
        component: mock
      vars:
        string_var: ${bRead}
    bystander:
      metadata:
        component: mock
      vars:
        x: 1
`,
  });
}

describe('cycles between output readers (§11.6)', () => {
  it.each([
    ['state ↔ state', '!terraform.state component-a test string_var', '!terraform.state component-a test .string_var'],
    ['state ↔ output', '!terraform.output component-a test string_var', '!terraform.output component-a test .string_var'],
    [
      'state ↔ atmos.Component outputs',
      '"{{ (atmos.Component \\"component-a\\" .stack).outputs.string_var }}"',
      'atmos.Component component-a test .string_var',
    ],
  ])('%s: describe, describe stacks and matrix fail naming both instances', (_, bRead, bLabel) => {
    const cwd = cycleRepo(bRead);
    const e = expectAtmosError(() => describeComponent(open(cwd), { component: 'component-a', stack: 'test' }));
    expect(e.message).toContain('circular dependency between output readers: component-a@test → component-b@test → component-a@test');
    expect(e.message).toContain('component-a@test reads vars.string_var: !terraform.state component-b test .string_var');
    expect(e.message).toContain(`component-b@test reads vars.string_var: ${bLabel}`);
    expect(e.file).toBe(path.join(cwd, 'stacks/deploy/test.yaml'));
    expect(e.line).toBe(9);
    // from the other side, the same cycle
    expect(expectAtmosError(() => describeComponent(open(cwd), { component: 'component-b', stack: 'test' })).message).toMatch(/circular dependency/);
    expect(expectAtmosError(() => describeStacks(open(cwd), { stacks: [], components: [] }, ports)).message).toMatch(/circular dependency/);
    expect(expectAtmosError(() => matrix(open(cwd), { stacks: [], components: [], includeAbstract: false }, ports)).message).toMatch(/circular dependency/);
    // an instance outside the cycle is described as before
    expect(describeComponent(open(cwd), { component: 'bystander', stack: 'test' }).vars).toEqual({ stage: 'test', x: 1 });
  });

  it('across stacks (Atmos circular-deps: vpc in core reads staging, staging reads core), and an instance reading itself', () => {
    const cwd = writeTree(tempDir('atmos-readers-'), {
      'atmos.yaml':
        'components:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_pattern: "{stage}"\n',
      'components/terraform/vpc/main.tf': '',
      'stacks/core.yaml':
        'vars:\n  stage: core\ncomponents:\n  terraform:\n    vpc:\n      vars:\n        attachments: !terraform.state vpc staging attachment_ids\n',
      'stacks/staging.yaml':
        'vars:\n  stage: staging\ncomponents:\n  terraform:\n    vpc:\n      vars:\n        tgw: !terraform.state vpc core transit_gateway_id\n',
      'stacks/self.yaml': 'vars:\n  stage: self\ncomponents:\n  terraform:\n    vpc:\n      vars:\n        me: !terraform.output vpc id\n',
    });
    expect(expectAtmosError(() => describeComponent(open(cwd), { component: 'vpc', stack: 'staging' })).message).toContain(
      'circular dependency between output readers: vpc@staging → vpc@core → vpc@staging',
    );
    expect(expectAtmosError(() => describeComponent(open(cwd), { component: 'vpc', stack: 'self' })).message).toContain(
      'circular dependency between output readers: vpc@self → vpc@self',
    );
  });

  it('a reader of a reader is fine when the chain does not come back', () => {
    const cwd = cycleRepo('!terraform.state bystander test x');
    expect(describeComponent(open(cwd), { component: 'component-a', stack: 'test' }).resolved_dependencies).toEqual([
      { component: 'component-b', stack: 'test', via: '!terraform.state' },
    ]);
  });
});

describe('an output reference to an instance that does not exist (§11.6)', () => {
  const stack = `vars:
  stage: test
components:
  terraform:
    vpc:
      metadata:
        component: mock
    app:
      metadata:
        component: mock
      vars:
        vpc_id: !terraform.output vpcc vpc_id
        other: !terraform.state vpc nowhere .id
`;

  it("fails the reader's describe and plan, naming what it reads, at its line; other instances are unaffected", async () => {
    const cwd = repo({ 'stacks/deploy/test.yaml': stack });
    const e = expectAtmosError(() => describeComponent(open(cwd), { component: 'app', stack: 'test' }));
    expect(e.message).toBe('component app in stack test: !terraform.output at vars.vpc_id reads .vpc_id of component vpcc in stack test, which does not exist');
    expect(e.file).toBe(path.join(cwd, 'stacks/deploy/test.yaml'));
    expect(e.line).toBe(12);
    await expect(runInstances(open(cwd), { action: 'plan', target: { component: 'app', stack: 'test' } }, ports)).rejects.toThrow(
      /vpcc in stack test, which does not exist/,
    );
    expect(describeComponent(open(cwd), { component: 'vpc', stack: 'test' }).component).toBe('mock');
  });

  it('a missing stack is named the same way', () => {
    const cwd = repo({ 'stacks/deploy/test.yaml': stack.replace('vpcc', 'vpc') });
    expect(expectAtmosError(() => describeComponent(open(cwd), { component: 'app', stack: 'test' })).message).toBe(
      'component app in stack test: !terraform.state at vars.other reads .id of component vpc in stack nowhere, which does not exist',
    );
  });
});
