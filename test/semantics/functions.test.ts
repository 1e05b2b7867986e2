/**
 * YAML functions (docs/atmos-compatibility.md §11.5, §11.6): evaluated after the template pass,
 * output readers shown unresolved and turned into dependencies.
 */
import { describe, expect, it } from '@jest/globals';
import { nodeExecSync } from '../../src/ports/node-exec-sync.js';
import { DeferredValue } from '../../src/stacks/deferred.js';
import { deferredText, describeComponent } from '../../src/stacks/describe.js';
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
    // through a shell, as in Atmos: pipes, &&, || and redirections work
    expect(v.piped).toBe('a');
    expect(v.chained).toEqual({ ok: true });
    expect(v.fallback).toBe('fallback');
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
    // describe prints each read in words
    const described = describeComponent(app, r.config) as { vars: Record<string, unknown> };
    expect(described.vars.vpc_id).toBe('!terraform.output vpc dev .vpc_id (unresolved: read at run time)');
    expect(described.vars.subnets).toBe('!terraform.state vpc dev .private_subnet_ids (unresolved: read at run time)');
    // the instance lists what it reads at run time, typed
    expect([...app.reads].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'vars.subnets', read: { kind: 'terraform.state', component: 'vpc', stack: 'dev', expression: '.private_subnet_ids' } },
      { path: 'vars.vpc_id', read: { kind: 'terraform.output', component: 'vpc', stack: 'dev', expression: '.vpc_id' } },
    ]);
    expect(app.dependsOn).toEqual([{ component: 'vpc', stack: 'dev', via: '!terraform.output' }]);
    // not "unsupported": describe shows them and the runner reads them
    expect(app.unsupported).toEqual([]);
    expect(log.lines.join('\n')).toContain('app (stack dev) depends on vpc (stack dev): it reads its output .vpc_id (!terraform.output at vars.vpc_id)');
  });

  it('!exec passes the text, untouched, as the one argument of sh -c, once per run; !store and !secret become reads that inspection prints as written / masked', () => {
    const seen: string[][] = [];
    const ctx = {
      stack: 'dev',
      component: 'app',
      componentEnv: {},
      ports: { env: () => undefined, cwd: REPO_ROOT, execSync: (argv: readonly string[]) => (seen.push([...argv]), { code: 0, stdout: 'x\n', stderr: '' }) },
      references: [],
      unsupported: [],
    };
    expect(evaluateFunction(`!exec printf '%s' "a b" | tr a-z A-Z  `, 'vars.x', ctx)).toBe('x');
    expect(seen).toEqual([['sh', '-c', `printf '%s' "a b" | tr a-z A-Z`]]);
    const cached = { ...ctx, ports: { ...ctx.ports, execResults: new Map<string, unknown>() } };
    evaluateFunction('!exec echo once', 'vars.a', cached);
    evaluateFunction('!exec echo once', 'vars.b', cached);
    expect(seen.filter((a) => a[2] === 'echo once')).toHaveLength(1); // once per run, not per instance
    const failing = { ...ctx, ports: { ...ctx.ports, execSync: () => ({ code: 3, stdout: '', stderr: 'boom\n' }) } };
    expect(() => evaluateFunction('!exec false || exit 3', 'vars.x', failing)).toThrow('vars.x: !exec: `false || exit 3` exited with 3: boom');
    // Nothing is read while resolving: `!store` and `!secret` become typed reads; describe prints `!store` as written, `!secret` masked.
    for (const [text, shown] of [
      ['!store ssm vpc id', '!store ssm vpc id'],
      ['!store.get ssm /a/b', '!store.get ssm /a/b'],
      ['!secret db_password', '<MASKED>'],
    ]) {
      const v = evaluateFunction(text!, 'vars.x', ctx);
      expect(v).toBeInstanceOf(DeferredValue);
      expect(deferredText(v as DeferredValue)).toBe(shown);
    }
    expect(() => evaluateFunction('!store ssm only-two', 'vars.x', ctx)).toThrow(/vars\.x: !store: usage: !store <store> \[<stack>\] <component> <key>/);
  });

  it('with --process-functions=false values stay as written', () => {
    const r = resolveFixture('tpl-functions', env, undefined, { processFunctions: false });
    expect(r.get('app', 'dev').vars.region).toBe('!env AWS_REGION');
  });
});
