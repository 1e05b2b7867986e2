/** Error kinds: what the runner does with an error (stop, skip dependents, or warn and go on). */
import { LockTimeoutError } from '../../src/lock/lock.js';
import { AtmosError, errorKind, InfrastructureError, InstanceError } from '../../src/util/errors.js';
import { atomicWriteFile } from '../../src/util/atomic-fs.js';
import { tempDir } from '../helpers/fs.js';
import path from 'node:path';

describe('error kinds', () => {
  test('configuration by default; instance and infrastructure errors say so; anything else counts as an instance failure', () => {
    expect(new AtmosError('bad yaml', { file: 'x.yaml' }).kind).toBe('configuration');
    expect(new InstanceError('plan failed').kind).toBe('instance');
    expect(new InfrastructureError('cache service unavailable').kind).toBe('infrastructure');
    expect(new LockTimeoutError('/l', null, 1000).kind).toBe('instance');
    expect(errorKind(new TypeError('x'))).toBe('instance');
    expect(errorKind(new InfrastructureError('x'))).toBe('infrastructure');
  });

  test('a failed write is an instance failure that names the file', async () => {
    const file = path.join(tempDir(), 'missing-dir', 'f.json');
    const e = await atomicWriteFile(file, '{}').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AtmosError);
    expect(e).toMatchObject({ kind: 'instance', file });
  });
});
