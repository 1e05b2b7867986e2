import fs from 'node:fs';
import path from 'node:path';
import { VERSION } from '../../src/util/version.js';
import { REPO_ROOT } from '../helpers/fs.js';

it('src/version.ts matches package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(VERSION).toBe(pkg.version);
});
