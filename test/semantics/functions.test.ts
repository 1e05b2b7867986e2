/**
 * YAML functions (docs/atmos-compatibility.md §11.5, §11.6): evaluated after the template pass,
 * output readers shown unresolved and turned into dependencies.
 */
import { describe, expect, it } from '@jest/globals';
import { nodeExecSync } from '../../src/ports/node-exec-sync.js';
import { evaluateFunction } from '../../src/stacks/functions/evaluate.js';
import { memoryLog } from '../../src/ports/log.js';
import { REPO_ROOT } from '../helpers/fs.js';
import { resolveFixture } from './helpers.js';

const env = { AWS_REGION: 'eu-west-1' };

describe('YAML functions (§11.5)', () => {
  it('evaluates !env, !exec, !template, !repo-root, !unset, !include, !literal; leaves !cwd as Atmos does', () => {
    const r = resolveFixture('tpl-functions', env, undefined, { execSync: nodeExecSync });
    const app = r.get('app', 'dev');
    const v = app.vars as Record<string, unknown>;
    expect(v.region).toBe('eu-west-1');
    expect(v.missing_env).toBe('');
    expect(v.with_default).toBe('fallback');
    expect(v.from_component_env).toBe('fast');
    expect(v.json_out).toEqual({ a: 1 });
    expect(v.number_out).toBe(42);
    expect(v.tmpl).toEqual([1, 2]);
    expect(v.root).toBe(REPO_ROOT);
    expect('gone' in v).toBe(false);
    expect(v.cwd_left).toBe('!cwd');
    expect(v.literal).toBe('${var.not_a_template}');
    expect(v.included).toEqual({ tier: 'gold', limits: { cpu: 2 } });
    expect(v.included_field).toBe(2);
    expect(v.included_raw).toBe('line one\nline two\n');
  });

  it('shows !terraform.output / !terraform.state unresolved, naming the instance and output, and adds the dependency', () => {
    const log = memoryLog();
    const r = resolveFixture('tpl-functions', env, undefined, { execSync: nodeExecSync, log });
    const app = r.get('app', 'dev');
    expect(app.vars.vpc_id).toBe('!terraform.output vpc dev .vpc_id (unresolved: read at run time)');
    expect(app.vars.subnets).toBe('!terraform.state vpc dev .private_subnet_ids (unresolved: read at run time)');
    expect(app.dependsOn).toEqual([{ component: 'vpc', stack: 'dev', via: '!terraform.output' }]);
    expect(app.unsupported.map((u) => u.kind)).toEqual(['output-reference', 'output-reference']);
    expect(log.lines.join('\n')).toContain('app (stack dev) depends on vpc (stack dev): it reads its output .vpc_id (!terraform.output at vars.vpc_id)');
  });

  it('!exec runs argv without a shell and refuses shell syntax; !store and !secret where nothing is read stay as written / masked', () => {
    const seen: string[][] = [];
    const ctx = {
      stack: 'dev',
      component: 'app',
      componentEnv: {},
      ports: { env: () => undefined, cwd: REPO_ROOT, execSync: (argv: readonly string[]) => (seen.push([...argv]), { code: 0, stdout: 'x\n', stderr: '' }) },
      references: [],
      unsupported: [],
      faults: [],
    };
    expect(evaluateFunction(`!exec printf '%s' "a b"`, 'vars.x', ctx)).toBe('x');
    expect(seen).toEqual([['printf', '%s', 'a b']]);
    const cached = { ...ctx, ports: { ...ctx.ports, execResults: new Map<string, unknown>() } };
    evaluateFunction('!exec echo once', 'vars.a', cached);
    evaluateFunction('!exec echo once', 'vars.b', cached);
    expect(seen.filter((a) => a[1] === 'once')).toHaveLength(1); // once per run, not per instance
    expect(() => evaluateFunction('!exec echo a | wc -l', 'vars.x', ctx)).toThrow(/no shell/);
    // Inspection (no store values): `!store` keeps its text, `!secret` shows Atmos's mask, nothing is contacted.
    expect(evaluateFunction('!store ssm vpc id', 'vars.x', ctx)).toBeUndefined();
    expect(evaluateFunction('!store.get ssm /a/b', 'vars.x', ctx)).toBeUndefined();
    expect(evaluateFunction('!secret db_password', 'vars.x', ctx)).toBe('<MASKED>');
    expect(ctx.faults).toEqual([]);
  });

  it('with --process-functions=false values stay as written', () => {
    const r = resolveFixture('tpl-functions', env, undefined, { processFunctions: false });
    expect(r.get('app', 'dev').vars.region).toBe('!env AWS_REGION');
  });
});
