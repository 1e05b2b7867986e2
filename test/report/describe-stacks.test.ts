/** `describe stacks` printed one stack at a time: the bytes of printing the whole map, without holding it. */
import fs from 'node:fs';
import path from 'node:path';
import { loadAtmosConfig } from '../../src/config/load.js';
import { stacksJson, stacksYaml } from '../../src/report/describe-stacks.js';
import { describeStacks, describeStacksByStack } from '../../src/stacks/describe.js';
import { resolveStacks } from '../../src/stacks/resolve.js';
import type { Plain } from '../../src/util/merge.js';
import { toYaml } from '../../src/util/yaml.js';
import { REPO_ROOT } from '../helpers/fs.js';
import { FIXTURES } from '../semantics/helpers.js';

/** How describe stacks printed before: the whole map, then one serialisation. */
const whole = {
  json: (m: Plain) => `${JSON.stringify(m, null, 2)}\n`,
  yaml: (m: Plain) => toYaml(m),
};
const streamed = {
  json: (entries: Iterable<[string, Plain]>) => [...stacksJson(entries)].join(''),
  yaml: (entries: Iterable<[string, Plain]>) => [...stacksYaml(entries)].join(''),
};

describe('describe stacks, streamed', () => {
  const repos = [path.join(REPO_ROOT, 'examples'), ...fs.readdirSync(FIXTURES).map((f) => path.join(FIXTURES, f))];
  const resolvable = repos.flatMap((dir) => {
    try {
      const config = loadAtmosConfig({ cwd: dir, env: {} });
      return [{ dir, config, resolved: resolveStacks(config, { cwd: dir }) }];
    } catch {
      return []; // the fixtures of configuration errors
    }
  });

  it('prints the same bytes as printing the whole map, in JSON and YAML, for the example and every resolvable fixture', () => {
    expect(resolvable.length).toBeGreaterThan(30);
    for (const { dir, config, resolved } of resolvable) {
      const map = describeStacks(resolved, config);
      for (const format of ['json', 'yaml'] as const) {
        expect(`${path.basename(dir)} ${format}\n${streamed[format](describeStacksByStack(resolved, config))}`).toBe(
          `${path.basename(dir)} ${format}\n${whole[format](map)}`,
        );
      }
    }
  });

  it('the same bytes for the awkward cases: no stack, names that are numbers or need quoting, empty and nested values', () => {
    const maps: Plain[] = [
      {},
      { '10': { components: {} }, '2': { components: { terraform: {} } }, a: { x: [] }, 'b: c': { y: '' }, '-d': { z: null } },
      { 'ünï code': { components: { terraform: { 'app/api': { vars: { list: [1, 'two', { three: true }], multi: 'a\nb\n', empty: {} } } } } } },
    ];
    for (const map of maps) {
      const entries = Object.entries(map) as [string, Plain][];
      expect(streamed.json(entries)).toBe(whole.json(map));
      expect(streamed.yaml(entries)).toBe(whole.yaml(map));
    }
  });

  it('takes the next stack only when the previous one was written', () => {
    const taken: string[] = [];
    function* stacks(): Generator<[string, Plain]> {
      for (const name of ['a', 'b', 'c']) {
        taken.push(name);
        yield [name, { components: {} }];
      }
    }
    for (const render of [stacksJson, stacksYaml]) {
      taken.length = 0;
      const chunks = render(stacks());
      chunks.next();
      expect(taken).toEqual(['a']);
      chunks.next();
      expect(taken).toEqual(['a', 'b']);
    }
  });
});
