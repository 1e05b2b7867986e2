/**
 * `npm run bench -- <name> [args]`: compiles src/ and bench/ to build/ (see package.json) and runs
 * bench/<name>.ts, whose `main(args)` prints a readable table and ends with one line
 * `bench <name>: key=value ...`.
 */
const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  process.stderr.write('usage: npm run bench -- <name> [args]   (names: the files in bench/, e.g. stacks, workdir)\n');
  process.exit(2);
}
const mod = (await import(`./${name}.js`)) as { main(args: string[]): Promise<void> };
await mod.main(args);
