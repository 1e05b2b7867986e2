/**
 * `atmos.Component` in templates (docs/atmos-compatibility.md §11.6): another instance's resolved
 * sections without terraform; its `.outputs` unresolved in describe, with a dependency edge.
 */
import { describe, expect, it } from '@jest/globals';
import { describeComponent, describeStacks } from '../../src/app/describe.js';
import { openProject } from '../../src/app/project.js';
import { describeComponent as describeInstance } from '../../src/stacks/describe.js';
import { loadAtmosConfig } from '../../src/config/load.js';
import { memoryLog } from '../../src/ports/log.js';
import { findInstance, resolveStacks } from '../../src/stacks/resolve.js';
import { expectAtmosError, templatedRepo } from './helpers.js';

const repo = (files: Record<string, string>) => templatedRepo(files, 'atmos-component-');

const resolve = (dir: string, log = memoryLog()) => resolveStacks(loadAtmosConfig({ cwd: dir, env: {} }), { env: {}, log });

describe('atmos.Component (§11.6)', () => {
  it("reads another instance's resolved sections (vars, settings, workspace, backend) in another stack, whatever the manifest order", () => {
    const dir = repo({
      // "a-app" sorts before "z-net": the reader is met before the instance it reads.
      'stacks/deploy/a-app.yaml': [
        'vars: {stage: prod}',
        'components:',
        '  terraform:',
        '    app:',
        '      vars:',
        '        cidr: \'{{ (atmos.Component "vpc" "net").vars.cidr }}\'',
        '        region: \'{{ (atmos.Component "vpc" "net").settings.region }}\'',
        '        ws: \'{{ (atmos.Component "vpc" "net").workspace }}\'',
        '        from_flag: \'{{ (atmos.Component "flag" "net").vars.on }}\'',
        '',
      ].join('\n'),
      'stacks/deploy/z-net.yaml': [
        'vars: {stage: net}',
        'components:',
        '  terraform:',
        '    vpc:',
        '      settings: {region: eu-west-1}',
        '      vars: {cidr: 10.0.0.0/16}',
        '    flag:',
        '      vars:',
        '        on: \'{{ (atmos.Component "vpc" "net").vars.cidr }}\'',
        '',
      ].join('\n'),
    });
    const r = resolve(dir);
    const app = findInstance(r, 'app', 'prod');
    expect(app.vars).toMatchObject({ cidr: '10.0.0.0/16', region: 'eu-west-1', ws: 'net', from_flag: '10.0.0.0/16' });
    // sections alone are not outputs: no dependency, nothing left unresolved
    expect(app.dependsOn).toEqual([]);
    expect(app.unsupported).toEqual([]);
  });

  it('shows .outputs unresolved, naming the instance and output, and the reader depends on it', () => {
    const dir = repo({
      'stacks/deploy/dev.yaml': [
        'vars: {stage: dev}',
        'components:',
        '  terraform:',
        '    app:',
        '      vars:',
        '        vpc_id: \'{{ (atmos.Component "vpc" .stack).outputs.vpc_id }}\'',
        '    vpc:',
        '      vars: {cidr: 10.0.0.0/16}',
        '',
      ].join('\n'),
    });
    const log = memoryLog();
    const app = findInstance(resolve(dir, log), 'app', 'dev');
    expect((describeInstance(app, loadAtmosConfig({ cwd: dir, env: {} })).vars as Record<string, unknown>).vpc_id).toBe(
      'atmos.Component vpc dev .vpc_id (unresolved: read at run time)',
    );
    expect(app.reads).toEqual([{ path: 'vars.vpc_id', read: { kind: 'atmos.Component', component: 'vpc', stack: 'dev', expression: '.vpc_id' } }]);
    expect(app.dependsOn).toEqual([{ component: 'vpc', stack: 'dev', via: 'atmos.Component' }]);
    expect(app.unsupported).toEqual([]);
    expect(log.lines.join('\n')).toContain('app (stack dev) depends on vpc (stack dev): it reads its output .vpc_id (atmos.Component at vars.vpc_id)');
  });

  it('an output inside a longer string keeps its place among the text; a template that takes one apart is an error at its place', () => {
    const dir = repo({
      'stacks/deploy/dev.yaml': [
        'vars: {stage: dev}',
        'components:',
        '  terraform:',
        '    app:',
        '      vars:',
        '        url: \'https://{{ (atmos.Component "vpc" .stack).outputs.host | quote }}/x\'',
        '    vpc:',
        '      vars: {cidr: 10.0.0.0/16}',
        '',
      ].join('\n'),
    });
    const app = findInstance(resolve(dir), 'app', 'dev');
    expect((describeInstance(app, loadAtmosConfig({ cwd: dir, env: {} })).vars as Record<string, unknown>).url).toBe(
      'https://"atmos.Component vpc dev .host (unresolved: read at run time)"/x',
    );
    expect(app.reads.map((r) => r.path)).toEqual(['vars.url']);
    const cut = repo({
      'stacks/deploy/dev.yaml': [
        'vars: {stage: dev}',
        'components:',
        '  terraform:',
        '    app:',
        '      vars:',
        '        short: \'{{ (atmos.Component "vpc" .stack).outputs.id | trunc 3 }}\'',
        '    vpc:',
        '      vars: {cidr: 10.0.0.0/16}',
        '',
      ].join('\n'),
    });
    const e = expectAtmosError(() => resolve(cut));
    expect(e.message).toMatch(/component app in stack dev: template in vars\.short: an output read at run time was changed by a template function/);
    expect(e.file).toMatch(/stacks\/deploy\/dev\.yaml$/);
    expect(e.line).toBe(6);
  });

  it('an instance reading itself, or a cycle through atmos.Component, is an error naming the chain', () => {
    const self = repo({
      'stacks/deploy/dev.yaml':
        'vars: {stage: dev}\ncomponents:\n  terraform:\n    app:\n      vars:\n        x: \'{{ (atmos.Component "app" "dev").vars.stage }}\'\n',
    });
    expect(expectAtmosError(() => resolve(self)).message).toContain('atmos.Component cycle: app@dev → app@dev');
    const cycle = repo({
      'stacks/deploy/dev.yaml': [
        'vars: {stage: dev}',
        'components:',
        '  terraform:',
        '    a:',
        '      vars:',
        '        x: \'{{ (atmos.Component "b" "dev").vars.y }}\'',
        '    b:',
        '      vars:',
        '        y: \'{{ (atmos.Component "a" "dev").vars.x }}\'',
        '',
      ].join('\n'),
    });
    expect(expectAtmosError(() => resolve(cycle)).message).toMatch(/atmos\.Component cycle: a@dev → b@dev → a@dev/);
  });

  it('a missing instance is an error naming it', () => {
    const dir = repo({
      'stacks/deploy/dev.yaml':
        'vars: {stage: dev}\ncomponents:\n  terraform:\n    app:\n      vars:\n        x: \'{{ (atmos.Component "nope" "dev").vars.stage }}\'\n',
    });
    expect(expectAtmosError(() => resolve(dir)).message).toContain('component nope not found in stack dev');
  });

  it('describe component and describe stacks list each dependency with how it was found', () => {
    const dir = repo({
      'stacks/deploy/dev.yaml': [
        'vars: {stage: dev}',
        'components:',
        '  terraform:',
        '    app:',
        '      settings:',
        '        depends_on:',
        '          1: {component: db}',
        '      vars:',
        '        vpc_id: \'{{ (atmos.Component "vpc" .stack).outputs.vpc_id }}\'',
        '        dns: !terraform.output dns .zone',
        '    vpc: {vars: {x: 1}}',
        '    dns: {vars: {x: 1}}',
        '    db: {vars: {x: 1}}',
        '',
      ].join('\n'),
    });
    const ports = { env: {}, log: memoryLog() };
    const expected = [
      { component: 'db', stack: 'dev', via: 'settings.depends_on' },
      { component: 'vpc', stack: 'dev', via: 'atmos.Component' },
      { component: 'dns', stack: 'dev', via: '!terraform.output' },
    ];
    const one = describeComponent(openProject({ cwd: dir }, ports), { stack: 'dev', component: 'app' });
    expect(one.resolved_dependencies).toEqual(expected);
    const all = describeStacks(openProject({ cwd: dir }, ports), { stacks: [], components: [] }, ports) as Record<
      string,
      { components: { terraform: Record<string, Record<string, unknown>> } }
    >;
    expect(all.dev.components.terraform.app.resolved_dependencies).toEqual(expected);
    // no dependencies, no field: Atmos's shape
    expect('resolved_dependencies' in all.dev.components.terraform.vpc).toBe(false);
  });
});
