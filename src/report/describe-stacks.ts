/**
 * `describe stacks` printed one stack at a time: the same bytes as printing the whole map at once
 * (`JSON.stringify(map, null, 2)` or the YAML document), but only one stack's text exists at a
 * time, so the output of 100,000 instances needs no more memory than one stack's.
 */
import type { Plain } from '../util/merge.js';
import { toYaml } from '../util/yaml.js';

/** The map's JSON, two-space indented, with a final newline: one chunk per stack. */
export function* stacksJson(stacks: Iterable<[string, Plain]>): Generator<string> {
  let first = true;
  for (const [name, value] of stacks) {
    // JSON strings hold no raw newline, so every newline of a nested value starts one of its lines.
    yield `${first ? '{\n' : ',\n'}  ${JSON.stringify(name)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`;
    first = false;
  }
  yield first ? '{}\n' : '\n}\n';
}

/** The map's YAML document: each stack is one top-level key of the block map, printed on its own. */
export function* stacksYaml(stacks: Iterable<[string, Plain]>): Generator<string> {
  let any = false;
  for (const [name, value] of stacks) {
    any = true;
    yield toYaml({ [name]: value });
  }
  if (!any) yield toYaml({});
}
