import fs from 'node:fs';
import path from 'node:path';
import { parsePlanJson, resourceAction, summarizePlan } from '../../src/terraform/plan-result.js';
import { requireTerraform, tempDir, terraformSync, terraformTestEnv } from './helpers.js';

/** A marker every value in the module carries: it must never appear in a parsed result. */
const SECRET = 'hunter2-value-marker';

const MODULE = [
  'terraform {\n  backend "local" {}\n}',
  'variable "name" {\n  type = string\n}',
  'variable "generation" {\n  type = string\n}',
  'variable "extra" {\n  type = bool\n}',
  'resource "terraform_data" "app" {\n  input = "' + SECRET + '-${var.name}"\n}',
  'resource "terraform_data" "server" {\n  input            = "' + SECRET + '-server"\n  triggers_replace = [var.generation]\n}',
  'resource "terraform_data" "extra" {\n  count = var.extra ? 1 : 0\n  input = "' + SECRET + '-extra"\n}',
  'output "name" {\n  value = terraform_data.app.output\n}',
  'output "password" {\n  value     = "' + SECRET + '-${var.name}"\n  sensitive = true\n}\n',
].join('\n');

let root: string;
let wd: string;
let env: Record<string, string>;

beforeAll(() => {
  requireTerraform();
  root = tempDir('atmos-plan-json-');
  wd = path.join(root, 'wd');
  fs.mkdirSync(wd);
  fs.writeFileSync(path.join(wd, 'main.tf'), MODULE);
  env = terraformTestEnv(root);
  expect(terraformSync(wd, ['init', '-input=false', '-no-color'], env).code).toBe(0);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function plan(vars: Record<string, unknown>, opts: { destroy?: boolean } = {}) {
  fs.writeFileSync(path.join(wd, 'vars.tfvars.json'), JSON.stringify(vars));
  const args = ['plan', '-out', 'p.planfile', '-detailed-exitcode', '-input=false', '-no-color', '-var-file', 'vars.tfvars.json'];
  const p = terraformSync(wd, opts.destroy ? [...args, '-destroy'] : args, env);
  expect([0, 2]).toContain(p.code);
  const show = terraformSync(wd, ['show', '-json', 'p.planfile'], env);
  expect(show.code).toBe(0);
  // The raw JSON does hold the values (that is why it is never logged) ...
  expect(show.out).toContain(SECRET);
  const result = parsePlanJson(show.out);
  // ... the parsed result never does.
  expect(JSON.stringify(result)).not.toContain(SECRET);
  return { result, exitCode: p.code };
}

function apply() {
  expect(terraformSync(wd, ['apply', '-input=false', '-no-color', 'p.planfile'], env).code).toBe(0);
}

describe('terraform show -json → PlanResult, with real terraform', () => {
  it('follows one module through create, no-op, update, replace, destroy of one resource, and full destroy', () => {
    const created = plan({ name: 'a', generation: '1', extra: true });
    expect(created.exitCode).toBe(2);
    expect(created.result).toMatchObject({
      add: ['terraform_data.app', 'terraform_data.extra[0]', 'terraform_data.server'],
      change: [],
      destroy: [],
      replace: [],
      outputs: [
        { name: 'name', action: 'create', sensitive: false },
        { name: 'password', action: 'create', sensitive: true },
      ],
      hasChanges: true,
      applyable: true,
    });
    expect(summarizePlan(created.result)).toBe('+3 ~0 -0 outputs 2');
    apply();

    const same = plan({ name: 'a', generation: '1', extra: true });
    expect(same.exitCode).toBe(0);
    expect(same.result.hasChanges).toBe(false);
    expect(same.result.counts).toEqual({ add: 0, change: 0, destroy: 0, replace: 0, forget: 0, import: 0, moved: 0, outputs: 0 });

    // An input change updates in place; a triggers_replace change replaces; count 0 destroys; a sensitive output changes.
    const changed = plan({ name: 'b', generation: '2', extra: false });
    expect(changed.exitCode).toBe(2);
    expect(changed.result).toMatchObject({
      add: [],
      change: ['terraform_data.app'],
      destroy: ['terraform_data.extra[0]'],
      replace: ['terraform_data.server'],
      outputs: [
        { name: 'name', action: 'update', sensitive: false },
        { name: 'password', action: 'update', sensitive: true },
      ],
    });
    expect(summarizePlan(changed.result)).toBe('+0 ~1 -1 ±1 outputs 2');
    apply();

    const destroy = plan({ name: 'b', generation: '2', extra: false }, { destroy: true });
    expect(destroy.result.destroy).toEqual(['terraform_data.app', 'terraform_data.server']);
    expect(destroy.result.outputs.map((o) => `${o.name}:${o.action}`)).toEqual(['name:delete', 'password:delete']);
    expect(destroy.result.add).toEqual([]);
  });
});

describe('action lists', () => {
  it('reads replace in either order, ignores no-op and read, and refuses an action list it does not know', () => {
    expect(resourceAction(['delete', 'create'])).toBe('replace');
    expect(resourceAction(['create', 'delete'])).toBe('replace');
    expect(resourceAction(['no-op'])).toBe('no-op');
    expect(resourceAction(['read'])).toBe('read');
    expect(resourceAction(['forget'])).toBe('forget');
    expect(() => resourceAction(['explode'])).toThrow(/unknown action list \[explode\]/);
  });

  it('counts forgotten, imported and moved resources as changes, by address only', () => {
    const json = JSON.stringify({
      format_version: '1.2',
      applyable: true,
      resource_changes: [
        { address: 'terraform_data.old', change: { actions: ['forget'], before: { input: SECRET } } },
        { address: 'terraform_data.imp', change: { actions: ['no-op'], importing: { id: 'x' }, after: { input: SECRET } } },
        { address: 'terraform_data.new', previous_address: 'terraform_data.was', change: { actions: ['no-op'] } },
        { address: 'data.terraform_remote_state.x', change: { actions: ['read'] } },
      ],
    });
    const r = parsePlanJson(json);
    expect(r).toMatchObject({
      forget: ['terraform_data.old'],
      import: ['terraform_data.imp'],
      moved: [{ from: 'terraform_data.was', to: 'terraform_data.new' }],
    });
    expect(r.add.concat(r.change, r.destroy)).toEqual([]);
    expect(r.hasChanges).toBe(true);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('never echoes text that is not a plan', () => {
    expect(() => parsePlanJson(`{"password": "${SECRET}"`)).toThrow(/not JSON/);
    try {
      parsePlanJson(`{"password": "${SECRET}"`);
    } catch (e) {
      expect(String(e)).not.toContain(SECRET);
    }
    expect(() => parsePlanJson('{"values": 1}')).toThrow(/did not print a plan/);
  });
});
