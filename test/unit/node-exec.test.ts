import fs from 'node:fs';
import path from 'node:path';
import { nodeExec } from '../../src/ports/node-exec.js';
import { tempDir } from '../helpers/fs.js';

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
    expect(r).toEqual({ code: 0, signal: null, stdout: 'hello', stderr: '' });
  });

  it('streams output line by line while the process runs, from both streams', async () => {
    const seen: string[] = [];
    const go = path.join(tempDir('atmos-action-exec-'), 'go');
    // The child writes its first line, then waits until the test has seen it (it creates `go`) before
    // writing the rest. Exit code 0: the first line arrived while the child still ran; 7: it never
    // did (the wait is bounded only so that a failure cannot hang).
    const script =
      "const fs = require('node:fs'); process.stdout.write('one\\ntw'); process.stderr.write('warn\\r\\n');" +
      'const until = Date.now() + 20000;' +
      "const poll = setInterval(() => { const seen = fs.existsSync(process.argv[1]); if (!seen && Date.now() < until) return; clearInterval(poll); process.stdout.write('o\\nthree, no newline'); process.exitCode = seen ? 0 : 7; }, 10);";
    const r = await nodeExec.run(process.execPath, ['-e', script, go], {
      onLine: (stream, line) => {
        if (line === 'one') fs.writeFileSync(go, '');
        seen.push(`${stream}: ${line}`);
      },
    });
    expect(r.code).toBe(0);
    expect(seen.filter((l) => l.startsWith('stdout'))).toEqual(['stdout: one', 'stdout: two', 'stdout: three, no newline']);
    expect(seen).toContain('stderr: warn');
    expect(r.stdout).toBe('one\ntwo\nthree, no newline');
  });

  it('an AbortSignal ends the process; the result reports the signal, not an exit code', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const run = nodeExec.run(process.execPath, ['-e', "console.log('ready'); setInterval(() => {}, 1000)"], {
      signal: controller.signal,
      onLine: (_s, line) => {
        lines.push(line);
        if (line === 'ready') controller.abort();
      },
    });
    const r = await run;
    expect(r).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(lines).toEqual(['ready']);
  });

  it('a process killed from outside reports its signal too; one that cannot start rejects', async () => {
    const r = await nodeExec.run(process.execPath, ['-e', "process.kill(process.pid, 'SIGKILL')"]);
    expect(r).toMatchObject({ code: null, signal: 'SIGKILL' });
    await expect(nodeExec.run('/nonexistent/atmos-action-no-such-binary', [])).rejects.toThrow(/ENOENT/);
  });

  it('with outputDir, the child writes into private files it does not need us to read: streamed as they grow, collected, then removed', async () => {
    const dir = path.join(tempDir(), 'output');
    const seen: string[] = [];
    let during: { files: string[]; mode: number } | undefined;
    const script = "process.stdout.write('one\\n'); process.stderr.write('warn\\n'); setTimeout(() => process.stdout.write('two'), 400);";
    const r = await nodeExec.run(process.execPath, ['-e', script], {
      outputDir: dir,
      onLine: (stream, line) => {
        seen.push(`${stream}: ${line}`);
        if (line === 'one') during = { files: fs.readdirSync(dir).sort(), mode: fs.statSync(path.join(dir, fs.readdirSync(dir)[0]!)).mode & 0o777 };
      },
    });
    expect(r).toEqual({ code: 0, signal: null, stdout: 'one\ntwo', stderr: 'warn\n' });
    expect(seen).toEqual(expect.arrayContaining(['stdout: one', 'stderr: warn', 'stdout: two']));
    // While it ran: two files named after the child, readable by us only, in a folder only we can enter.
    expect(during!.files).toEqual([expect.stringMatching(/^\d+\.err$/), expect.stringMatching(/^\d+\.out$/)]);
    expect(during!.mode).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(dir)).toEqual([]);
    await expect(nodeExec.run(path.join(dir, 'missing'), [], { outputDir: dir })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
