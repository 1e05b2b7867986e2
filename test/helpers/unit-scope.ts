/**
 * Loaded before every test file in `npm run test:unit` only (jest.config.js). Puts a `terraform`
 * first on PATH that fails, saying why, so a test that runs terraform without going through
 * requireTerraform() still cannot pass unnoticed in the unit scope.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './fs.js';

const bin = path.join(REPO_ROOT, 'build', 'unit-scope-bin');
const shim = path.join(bin, 'terraform');
if (!fs.existsSync(shim)) {
  // Renamed into place: another worker may be running it already.
  fs.mkdirSync(bin, { recursive: true });
  const tmp = `${shim}.${process.pid}`;
  fs.writeFileSync(tmp, '#!/bin/sh\necho "terraform is not run by unit tests: list this test among the integration tests in jest.config.js" >&2\nexit 127\n', {
    mode: 0o755,
  });
  fs.renameSync(tmp, shim);
}
process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
