import path from 'node:path';
import { stderrLog } from '../../src/cli/log.js';

/** What the CLI prints on stderr for a warning, given where it is about. */
function warned(message: string, where?: { file: string; line?: number }): string {
  let out = '';
  stderrLog(false, (t) => void (out += t), '/repo').warn(message, where);
  return out;
}

describe("the CLI's warnings", () => {
  it('start with the file and line they are about, relative to where the command was started, as errors do', () => {
    expect(
      warned('vpc (stack dev) depends on dns in stack dev, which does not exist; ignoring that dependency', { file: '/repo/stacks/dev.yaml', line: 7 }),
    ).toBe('warning: stacks/dev.yaml:7: vpc (stack dev) depends on dns in stack dev, which does not exist; ignoring that dependency\n');
    expect(warned('something about the file', { file: '/elsewhere/atmos.yaml' })).toBe('warning: /elsewhere/atmos.yaml: something about the file\n');
  });

  it('name the place once when the text already does, and carry no place when there is none', () => {
    const file = path.join('/repo', 'stacks/catalog/vpc.yaml');
    expect(warned('stacks/catalog/vpc.yaml:5: !aws.account_id is not evaluated', { file, line: 5 })).toBe(
      'warning: stacks/catalog/vpc.yaml:5: !aws.account_id is not evaluated\n',
    );
    expect(warned('components "vcp" matches nothing')).toBe('warning: components "vcp" matches nothing\n');
  });

  it('cannot start a workflow command, whatever the file is called', () => {
    const out = warned('a warning', { file: '/repo/x\n::error::forged.yaml', line: 1 });
    expect(out).toContain('forged.yaml:1: a warning');
    expect(out).not.toMatch(/^\s*::/m);
  });
});
