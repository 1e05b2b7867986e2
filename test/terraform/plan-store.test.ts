import fs from 'node:fs';
import path from 'node:path';
import { codeFingerprint, localModuleSources } from '../../src/terraform/code-fingerprint.js';
import { planDrift } from '../../src/terraform/plan-drift.js';
import { canonicalJson } from '../../src/util/canonical-json.js';
import { loadPlanfile } from '../../src/terraform/plan-seal.js';
import { readPlansDir, writePlanFolder, type PlanMetadata } from '../../src/terraform/plan-store.js';
import { planFolderName, parsePlanFolderName } from '../../src/util/paths.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { planResult } from '../helpers/plans.js';

const meta = (stack: string, component: string) => ({
  instance: `${stack}:${component}`,
  stack,
  component,
  commitSha: 'c'.repeat(40),
  configSha256: '1'.repeat(64),
  lockFileSha256: null,
  files: { [`components/${component}/main.tf`]: '2'.repeat(64) },
  terraformVersion: '1.11.4',
  stackFile: `deploy/${stack}`,
  createdAt: '2026-01-01T00:00:00Z',
});
const result = (stack: string, component: string) => ({
  instance: `${stack}:${component}`,
  stack,
  component,
  status: 'changes' as const,
  reason: '+1',
  plan: planResult({ add: ['a.b'] }),
  durationMs: 5,
});

function planfile(text: string): string {
  const file = path.join(tempDir(), 'p.planfile');
  fs.writeFileSync(file, text);
  return file;
}

const editMeta = (folder: string, edit: (m: PlanMetadata) => void) => {
  const file = path.join(folder, 'plan-meta.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as PlanMetadata;
  edit(m);
  fs.writeFileSync(file, JSON.stringify(m));
};

describe('the plans directory', () => {
  it('gives every instance its own folder, even names that would collide when joined naively, and reads the names back', () => {
    const pairs: [string, string][] = [
      ['a', 'b-c'],
      ['a-b', 'c'],
      ['a-b', 'hc'],
      ['a', 'hb-c'],
      ['a--b', 'c'],
      ['a', '-b-c'],
      ['a/b', 'c'],
      ['a', 'b/c'],
    ];
    const names = pairs.map(([s, c]) => planFolderName(s, c));
    expect(new Set(names).size).toBe(pairs.length);
    expect(names.map(parsePlanFolderName)).toEqual(pairs.map(([stack, component]) => ({ stack, component })));
    expect(parsePlanFolderName('not-a-plan')).toBeNull();
    expect(() => planFolderName('../x', 'c')).toThrow();
  });

  it('writes planfile, result and metadata and reads them back sorted', async () => {
    const dir = tempDir();
    const src = planfile('PLAN BYTES');
    await writePlanFolder(dir, { meta: meta('prod', 'vpc'), result: result('prod', 'vpc'), planfile: src });
    await writePlanFolder(dir, { meta: meta('dev', 'vpc'), result: result('dev', 'vpc'), planfile: src, encryptionKey: 'k' });
    const { plans, problems } = readPlansDir(dir);
    expect(problems).toEqual([]);
    expect(plans.map((s) => s.meta.instance)).toEqual(['dev:vpc', 'prod:vpc']);
    expect(plans[0]!.meta).toMatchObject({ encrypted: true, format: 2, terraformVersion: '1.11.4' });
    expect(plans[1]!.meta).toMatchObject({ encrypted: false });
    expect(plans[0]!.meta.planfileSha256).toBe(plans[1]!.meta.planfileSha256);
    expect(fs.readdirSync(plans[0]!.folder).sort()).toEqual(['plan-meta.json', 'result.json', 'tfplan.enc']);
    expect(loadPlanfile(plans[0]!, 'k').toString()).toBe('PLAN BYTES');
    expect(loadPlanfile(plans[1]!, undefined).toString()).toBe('PLAN BYTES');
    expect(() => loadPlanfile(plans[0]!, undefined)).toThrow('dev:vpc: the planfile is encrypted; set the encryption-key input');
    fs.appendFileSync(path.join(plans[1]!.folder, 'tfplan'), '!');
    expect(() => loadPlanfile(plans[1]!, undefined)).toThrow(/prod:vpc: the planfile's SHA-256 is .*, the plan recorded .*: it was modified after review/);
    expect(readPlansDir(path.join(dir, 'missing'))).toEqual({ plans: [], problems: [] });
  });

  it('with a key, only sealed plans are taken: an unsealed one with a matching hash is refused', async () => {
    const dir = tempDir();
    await writePlanFolder(dir, { meta: meta('dev', 'vpc'), result: result('dev', 'vpc'), planfile: planfile('provisioner "local-exec"') });
    const [plain] = readPlansDir(dir).plans;
    expect(() => loadPlanfile(plain!, 'the key')).toThrow(/dev:vpc: the plan is not sealed: with encryption-key set, apply takes sealed plans only/);
  });

  it('a sealed plan is bound to its instance, commit and fingerprint: swapped with another instance’s (hashes and all), or with edited metadata, it does not open', async () => {
    const dir = tempDir();
    const a = await writePlanFolder(dir, { meta: meta('dev', 'a'), result: result('dev', 'a'), planfile: planfile('PLAN A'), encryptionKey: 'k' });
    const b = await writePlanFolder(dir, { meta: meta('dev', 'b'), result: result('dev', 'b'), planfile: planfile('PLAN B'), encryptionKey: 'k' });
    // Swap the sealed files and the hashes recorded for them.
    const [ea, eb] = [a, b].map((x) => fs.readFileSync(path.join(x.folder, 'tfplan.enc')));
    fs.writeFileSync(path.join(a.folder, 'tfplan.enc'), eb!);
    fs.writeFileSync(path.join(b.folder, 'tfplan.enc'), ea!);
    editMeta(a.folder, (m) => (m.planfileSha256 = b.meta.planfileSha256));
    editMeta(b.folder, (m) => (m.planfileSha256 = a.meta.planfileSha256));
    for (const p of readPlansDir(dir).plans) expect(() => loadPlanfile(p, 'k')).toThrow(/cannot be decrypted.*moved from another instance's folder/);
    // Put back, then change what the plan was made from.
    fs.writeFileSync(path.join(a.folder, 'tfplan.enc'), ea!);
    editMeta(a.folder, (m) => (m.planfileSha256 = a.meta.planfileSha256));
    expect(loadPlanfile(readPlansDir(dir).plans[0]!, 'k').toString()).toBe('PLAN A');
    for (const edit of [
      (m: PlanMetadata) => (m.commitSha = 'd'.repeat(40)),
      (m: PlanMetadata) => (m.files = {}),
      (m: PlanMetadata) => (m.terraformVersion = '1.99.0'),
    ]) {
      const before = fs.readFileSync(path.join(a.folder, 'plan-meta.json'));
      editMeta(a.folder, edit);
      expect(() => loadPlanfile(readPlansDir(dir).plans[0]!, 'k')).toThrow(/cannot be decrypted/);
      fs.writeFileSync(path.join(a.folder, 'plan-meta.json'), before);
    }
  });

  it('names every entry that is not a complete plan folder; a plan whose result.json is corrupt is kept, as failed', async () => {
    const dir = tempDir();
    await writePlanFolder(dir, { meta: meta('dev', 'ok'), result: result('dev', 'ok') });
    const corrupt = await writePlanFolder(dir, { meta: meta('dev', 'corrupt'), result: result('dev', 'corrupt') });
    fs.writeFileSync(path.join(corrupt.folder, 'result.json'), '{"status": "changes", ');
    fs.mkdirSync(path.join(dir, 'dev--half'));
    fs.symlinkSync(corrupt.folder, path.join(dir, 'dev--linked'));
    fs.writeFileSync(path.join(dir, 'stray.txt'), '');
    // The plan of dev:ok again, in a folder named for another instance.
    fs.cpSync(path.join(dir, 'dev--ok'), path.join(dir, 'dev--other'), { recursive: true });
    const { plans, problems } = readPlansDir(dir);
    expect(plans.map((p) => [p.meta.instance, p.result.status])).toEqual([
      ['dev:corrupt', 'failed'],
      ['dev:ok', 'changes'],
    ]);
    expect(plans[0]!.result.reason).toMatch(/^result.json cannot be read: /);
    expect(problems).toEqual([
      { entry: 'dev--half', stack: 'dev', component: 'half', problem: expect.stringMatching(/has no plan-meta.json: its plan job did not finish/) },
      { entry: 'dev--linked', stack: 'dev', component: 'linked', problem: expect.stringMatching(/is a symbolic link/) },
      { entry: 'dev--other', stack: 'dev', component: 'ok', problem: 'holds the plan of dev:ok, whose folder is dev--ok' },
      { entry: 'stray.txt', problem: expect.stringMatching(/is not a plan folder/) },
    ]);
  });

  it('says what differs between the plan and the present, naming files and versions', () => {
    const m = { ...meta('dev', 'vpc'), format: 2, encrypted: false } as PlanMetadata;
    const same = { configSha256: m.configSha256, lockFileSha256: null, files: m.files, terraformVersion: '1.11.4' };
    expect(planDrift(m, same)).toEqual([]);
    expect(
      planDrift(m, {
        configSha256: '2'.repeat(64),
        lockFileSha256: 'ab'.repeat(32),
        files: { 'components/vpc/main.tf': '3'.repeat(64), 'modules/x/y.tf': '4'.repeat(64) },
        terraformVersion: '1.12.0',
      }),
    ).toEqual([
      'the resolved configuration changed since the plan (stack file deploy/dev or what it imports): plan again',
      'the provider lock file changed since the plan (none → abababababab…): plan again',
      'the code changed since the plan (components/vpc/main.tf changed, modules/x/y.tf added): plan again',
      'terraform version 1.11.4 → 1.12.0 since the plan: apply with 1.11.4, or plan again',
    ]);
    expect(planDrift(m, { ...same, files: {} })).toEqual(['the code changed since the plan (components/vpc/main.tf removed): plan again']);
  });

  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, { e: 0, f: 1 }] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});

describe('the code fingerprint', () => {
  it('covers the component folder and the local modules it calls, recursively, within the repository', () => {
    const repo = tempDir();
    fs.mkdirSync(path.join(repo, '.git'));
    writeTree(repo, {
      'infra/components/app/main.tf': [
        'module "net" {',
        '  source = "../../modules/net" # the network',
        '  tags   = { a = "}" }',
        '}',
        '/* module "old" { source = "../../modules/gone" } */',
        'module "registry" {',
        '  source  = "cloudposse/label/null"',
        '  version = "0.25.0"',
        '}',
      ].join('\n'),
      'infra/components/app/templates/user-data.sh': 'echo hi',
      'infra/components/app/.terraform/providers/p': 'not code',
      'infra/components/app/terraform.tfstate': '{}',
      'infra/components/app/.terraform.lock.hcl': '# compared on its own',
      'infra/modules/net/main.tf.json': JSON.stringify({ module: { sub: { source: './sub' }, outside: { source: '../../../elsewhere' } } }),
      'infra/modules/net/sub/main.tf': 'resource "terraform_data" "x" {}',
      'infra/modules/gone/main.tf': 'never called',
    });
    expect(localModuleSources(path.join(repo, 'infra/components/app'))).toEqual(['../../modules/net']);
    const files = codeFingerprint(path.join(repo, 'infra/components/app'), { basePath: path.join(repo, 'infra'), repoRoot: repo });
    expect(Object.keys(files)).toEqual([
      'components/app/main.tf',
      'components/app/templates/user-data.sh',
      'modules/net/main.tf.json',
      'modules/net/sub/main.tf',
    ]);
    fs.appendFileSync(path.join(repo, 'infra/modules/net/sub/main.tf'), '\n# edited');
    const again = codeFingerprint(path.join(repo, 'infra/components/app'), { basePath: path.join(repo, 'infra'), repoRoot: repo });
    expect(Object.keys(again).filter((f) => again[f] !== files[f])).toEqual(['modules/net/sub/main.tf']);
  });
});
