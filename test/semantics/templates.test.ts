/**
 * Go templates in stacks (docs/atmos-compatibility.md §11): name_template and the component
 * pass on a repository shaped after Atmos's quick-start-advanced example, through the same use
 * cases the CLI and the action call.
 */
import { describe, expect, it } from '@jest/globals';
import { describeComponent } from '../../src/app/describe.js';
import { matrix } from '../../src/app/matrix.js';
import { openProject } from '../../src/app/project.js';
import { memoryLog } from '../../src/ports/log.js';
import fs from 'node:fs';
import path from 'node:path';
import { loadAtmosConfig } from '../../src/config/load.js';
import { resolveStacks } from '../../src/stacks/resolve.js';
import { tempDir } from '../helpers/fs.js';
import { expectAtmosError, fixture, resolveFixture, templatedRepo } from './helpers.js';

const ports = () => ({ env: { USER: 'ci-user' }, log: memoryLog() });
const quickstart = () => openProject({ cwd: fixture('tpl-quickstart') }, ports());

describe('quick-start-advanced shape (§11.2, §11.3)', () => {
  it('matrix names stacks with name_template', () => {
    const m = matrix(quickstart(), { stacks: [], components: [], includeAbstract: false }, ports());
    expect(m.include.map((e) => `${e.component}@${e.stack}`)).toEqual([
      'vpc@plat-ue2-dev',
      'vpc-flow-logs-bucket@plat-ue2-dev',
      'vpc@plat-ue2-prod',
      'vpc-flow-logs-bucket@plat-ue2-prod',
    ]);
  });

  it('describe component renders the tags block with Sprig, Gomplate and the section data', () => {
    const d = describeComponent(quickstart(), { stack: 'plat-ue2-dev', component: 'vpc' });
    expect((d.vars as Record<string, unknown>).tags).toEqual({
      atmos_component: 'vpc',
      atmos_stack: 'plat-ue2-dev',
      atmos_manifest: 'orgs/acme/plat/dev/us-east-2',
      terraform_workspace: 'plat-ue2-dev',
      terraform_component: 'vpc',
      provisioned_by_user: 'ci-user',
      atmos_component_description: 'Vpc component "common" provisioned in the stack "plat-ue2-dev"',
    });
    expect((d.vars as Record<string, unknown>).ipv4_primary_cidr_block).toBe('10.7.0.0/18');
    expect(d.workspace).toBe('plat-ue2-dev');
  });
});

describe('import-time templates: context, .tmpl, locals (§11.4)', () => {
  const r = () => resolveFixture('tpl-imports');

  it('renders a file once per context; exact references keep their type, others follow the YAML round trip', () => {
    const api = r().get('svc-api', 'dev');
    expect(api.vars).toEqual({ stage: 'dev', name: 'api', replicas: 3, label: 'svc-3', version: 1.3, tags: { team: 'a' }, later: '{{ .atmos_component }}' });
    expect(r().get('svc-web', 'dev').vars.tags).toEqual({ team: 'b' });
  });

  it('skip_templates_processing keeps the file as written; a .tmpl with control flow is rendered before parsing', () => {
    expect(r().get('raw', 'dev').vars.text).toBe('{{ .x }}');
    expect(r().get('zone-a', 'dev').vars.zone).toBe('a');
    expect(r().get('zone-b', 'dev').vars.zone).toBe('b');
  });

  it('file-level locals resolve in order and stay out of the result', () => {
    const base = r().get('base', 'dev');
    expect(base.vars).toEqual({ stage: 'dev', full: 'acme-dev', tags: { owner: 'acme' }, count: 2, upper: 'ACME' });
    expect(JSON.stringify(base.sections)).not.toContain('locals');
  });

  it('a missing value with an import context is an error naming the file', () => {
    const dir = tempDir('tpl-missing-');
    fs.cpSync(fixture('tpl-imports'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks/deploy/dev.yaml'), 'import:\n  - path: catalog/service\n    context: {name: api}\nvars: {stage: dev}\n');
    const e = expectAtmosError(() => resolveStacks(loadAtmosConfig({ cwd: dir, env: {} })));
    expect(e.file).toBe(path.join(dir, 'stacks/catalog/service.yaml'));
    expect(e.message).toContain('map has no entry for key "replicas"');
    expect(e.line).toBe(8);
  });
});

const repo = (files: Record<string, string>) => templatedRepo(files);

const resolveRepo = (dir: string, env: Record<string, string> = {}) => resolveStacks(loadAtmosConfig({ cwd: dir, env }), { env });

describe('component-section pass: typing as Atmos re-parses it (§11.3)', () => {
  it('follows the yaml.v3 quoting of the template text; a missing key renders <no value>', () => {
    const dir = repo({
      'stacks/deploy/dev.yaml': [
        'vars: {stage: dev}',
        'settings: {n: 1, b: true, m: {a: 1}}',
        'components:',
        '  terraform:',
        '    app:',
        '      vars:',
        '        quoted: "{{ .settings.n }}"',
        '        bool_quoted: "{{ .settings.b }}"',
        '        plain_float: "10.{{ .settings.n }}"',
        '        plain_int: "0{{ .settings.n }}"',
        '        plain_null: "nu{{ `ll` }}"',
        '        map_text: "{{ .settings.m }}"',
        '        json_text: "{{ toJson .settings.m }}"',
        '        json_map: "!template {{ toJson .settings.m }}"',
        '        missing: "{{ .settings.nope }}"',
        '        name: "app-{{ .vars.stage }}"',
        '',
      ].join('\n'),
    });
    const v = resolveRepo(dir).instances[0].vars;
    expect(v).toMatchObject({
      quoted: '1',
      bool_quoted: 'true',
      plain_float: 10.1,
      plain_int: 1,
      plain_null: null,
      map_text: 'map[a:1]',
      json_text: '{"a":1}',
      json_map: { a: 1 },
      missing: '<no value>',
      name: 'app-dev',
    });
  });

  it('is off when atmos.yaml omits templates.settings.enabled', () => {
    const dir = repo({ 'stacks/deploy/dev.yaml': 'vars: {stage: dev}\ncomponents:\n  terraform:\n    app:\n      vars:\n        x: "{{ .vars.stage }}"\n' });
    fs.writeFileSync(path.join(dir, 'atmos.yaml'), fs.readFileSync(path.join(dir, 'atmos.yaml'), 'utf8').replace(/templates:[\s\S]*$/, ''));
    expect(resolveRepo(dir).instances[0].vars.x).toBe('{{ .vars.stage }}');
  });

  it('an apostrophe in a single-quoted result fails as in Atmos, naming the file and line', () => {
    const dir = repo({
      'stacks/deploy/dev.yaml':
        'vars: {stage: dev}\nsettings: {s: "it\'s"}\ncomponents:\n  terraform:\n    app:\n      vars:\n        x: "{{ .settings.s }}"\n',
    });
    const e = expectAtmosError(() => resolveRepo(dir));
    expect(e.message).toContain('apostrophe');
    expect(e.file).toBe(path.join(dir, 'stacks/deploy/dev.yaml'));
    expect(e.line).toBe(7);
  });
});

describe('name_template and terraform_workspace_template (§11.2)', () => {
  it('renders both with Sprig; a template error names atmos.yaml and its line', () => {
    const dir = repo({
      'stacks/deploy/dev.yaml':
        'vars: {tenant: plat, stage: dev}\ncomponents:\n  terraform:\n    app:\n      metadata:\n        terraform_workspace_template: "{{ .vars.tenant }}/{{ .atmos_component | upper }}"\n',
    });
    const atmos = path.join(dir, 'atmos.yaml');
    fs.writeFileSync(atmos, fs.readFileSync(atmos, 'utf8').replace('name_pattern: "{stage}"', 'name_template: "{{ .vars.tenant }}-{{ .vars.stage | upper }}"'));
    const i = resolveRepo(dir).instances[0];
    expect(i.stack).toBe('plat-DEV');
    expect(i.workspace).toBe('plat-APP');
    fs.writeFileSync(atmos, fs.readFileSync(atmos, 'utf8').replace('| upper }}"', '| nosuchfn }}"'));
    const e = expectAtmosError(() => resolveRepo(dir));
    expect(e.file).toBe(atmos);
    expect(e.line).toBe(7);
    expect(e.message).toContain('function "nosuchfn" not defined');
  });

  it('locals that reference each other in a cycle are an error naming the cycle', () => {
    const dir = repo({ 'stacks/deploy/dev.yaml': 'locals:\n  a: "{{ .locals.b }}"\n  b: "{{ .locals.a }}"\nvars: {stage: dev}\n' });
    expect(expectAtmosError(() => resolveRepo(dir)).message).toContain('a → b → a');
  });
});

describe('templates.settings.env (§11.3)', () => {
  it("atmos.yaml's env, with the component's settings.templates.settings.env over it, is what `env` reads while templates render", () => {
    const r = resolveFixture('tpl-env', { HOME: '/home/ci', TEST_TMPL_NOT_A_STRING: 'from-run' });
    expect(r.get('env-test', 'test').vars).toEqual({
      stage: 'test',
      foo: 'from-atmos-yaml-from-stack-manifest',
      shared: 'from-stack-manifest',
      not_a_string: 'from-run',
      home: '/home/ci',
      after_templates: '',
    });
    expect(r.get('other', 'test').vars).toEqual({ stage: 'test', stack_var: '', env_var: 'from-atmos-yaml' });
  });
});
