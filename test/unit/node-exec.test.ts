import { nodeExec } from '../../src/ports/node-exec.js';

describe('nodeExec', () => {
  it('survives children that exit before reading stdin (no EPIPE crash)', async () => {
    const runs = Array.from({ length: 40 }, (_, i) =>
      nodeExec.run(process.execPath, ['-e', 'process.exit(3)'], i % 2 ? { input: 'x'.repeat(256 * 1024) } : {}),
    );
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code)).toEqual(Array(40).fill(3));
  });

  it('passes argv as is, never through a shell', async () => {
    const r = await nodeExec.run(process.execPath, ['-e', 'process.stdout.write(process.argv[1])', '$(echo pwned); `id`']);
    expect(r.stdout).toBe('$(echo pwned); `id`');
  });

  it('feeds input to stdin', async () => {
    const r = await nodeExec.run(process.execPath, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'hello' });
    expect(r).toEqual({ code: 0, stdout: 'hello', stderr: '' });
  });
});
