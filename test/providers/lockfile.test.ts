import fs from 'node:fs';
import path from 'node:path';
import { parseLockFile, readLockFile } from '../../src/providers/lockfile.js';
import { tempDir } from '../helpers/fs.js';

/** Lock files written by real terraform are read in testprov-terraform.test.ts; these are the edges. */
const H1 = 'h1:FJwsuowaG5CIdZ0WQyFZH9r6kIJeRKts9+GcRsTz1+Y=';
const ZH = 'zh:04f0a50bb2ba92f3bea6f0a9e549ace5a4c13ef0cbb6975494cac0ef7d4acb43';
const F = '/repo/stack/.terraform.lock.hcl';

const TERRAFORM_STYLE = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/azurerm" {
  version     = "2.30.0"
  constraints = "~> 2.12"
  hashes = [
    "${H1}",
    "${ZH}",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version = "3.6.0-beta.1"
  hashes = [
    "${H1}",
  ]
}
`;

const refuse = (text: string) => {
  try {
    parseLockFile(text, F);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('parsed, but should have been refused');
};

describe('the lock file reader', () => {
  it('reads what terraform writes: address, version, constraints, hashes, and the block line', () => {
    expect(parseLockFile(TERRAFORM_STYLE, F)).toEqual([
      {
        address: { host: 'registry.terraform.io', namespace: 'hashicorp', type: 'azurerm' },
        source: 'registry.terraform.io/hashicorp/azurerm',
        version: '2.30.0',
        constraints: '~> 2.12',
        hashes: [H1, ZH],
        line: 4,
      },
      {
        address: { host: 'registry.terraform.io', namespace: 'hashicorp', type: 'random' },
        source: 'registry.terraform.io/hashicorp/random',
        version: '3.6.0-beta.1',
        hashes: [H1],
        line: 13,
      },
    ]);
  });

  it('accepts what HCL lets a person write: // and /* */ comments, CRLF, no trailing comma, one-line lists and blocks, escapes', () => {
    const text = [
      '\ufeff// edited by hand',
      '/* a block',
      '   comment */ provider "example.com:8443/my-org/thing-2" { // trailing comment',
      '  hashes = ["h1:FJwsuowaG5CIdZ0WQyFZH9r6kIJeRKts9+GcRsTz1+Y=", "zh:04f0a50bb2ba92f3bea6f0a9e549ace5a4c13ef0cbb6975494cac0ef7d4acb43"]',
      '  # version last',
      '  version = "1.0.0"',
      '  constraints = ">= 1.0, \\u003c 2.0 $${x}"',
      '}',
      'provider "example.com/a/b" { version = "0.1.0" }',
      '',
    ].join('\r\n');
    const [thing, b] = parseLockFile(text, F);
    expect(thing).toMatchObject({ source: 'example.com:8443/my-org/thing-2', version: '1.0.0', constraints: '>= 1.0, < 2.0 ${x}', hashes: [H1, ZH], line: 3 });
    expect(b).toMatchObject({ source: 'example.com/a/b', version: '0.1.0', hashes: [], line: 9 });
    expect(parseLockFile('', F)).toEqual([]);
    expect(parseLockFile('# only a comment\n', F)).toEqual([]);
  });

  it.each([
    ['module "x" {\n}\n', ':1: expected a provider block, found "module"'],
    ['provider "registry.terraform.io/hashicorp/aws" {\n  version = "1.0.0"\n  source = "x"\n}\n', ':3: unknown attribute "source"'],
    ['provider "registry.terraform.io/hashicorp/aws" {\n  version = "1.0.0"\n  version = "1.0.1"\n}\n', ':3: version is set twice'],
    ['provider "registry.terraform.io/hashicorp/aws" {\n  constraints = "1.0"\n}\n', ':1: provider "registry.terraform.io/hashicorp/aws" has no version'],
    ['provider "registry.terraform.io/hashicorp/aws" {\n  version = "~> 1.0"\n}\n', ':2: provider version "~> 1.0" is not an exact version'],
    ['provider "registry.terraform.io/hashicorp/aws" {\n  version = 1.0\n}\n', ':2: unexpected "1"'],
    ['provider "hashicorp/aws" {\n  version = "1.0.0"\n}\n', ':1: provider address "hashicorp/aws" must be fully qualified'],
    [
      'provider "registry.terraform.io/HashiCorp/aws" {\n  version = "1.0.0"\n}\n',
      ':1: provider address "registry.terraform.io/HashiCorp/aws" is not in normal form; write it as "registry.terraform.io/hashicorp/aws"',
    ],
    [
      'provider "registry.terraform.io/../aws" {\n  version = "1.0.0"\n}\n',
      ':1: provider address "registry.terraform.io/../aws": the namespace ".." must be letters, digits and dashes',
    ],
    [
      'provider "a.io/b/c" {\n  version = "1.0.0"\n}\nprovider "a.io/b/c" {\n  version = "1.0.0"\n}\n',
      ':4: provider "a.io/b/c" is locked twice (first at line 1)',
    ],
    ['provider "a.io/b/c" {\n  version = "1.0.0"\n  hashes = [\n    "h1:short",\n  ]\n}\n', ':4: "h1:short" is not a package hash'],
    [
      `provider "a.io/b/c" {\n  version = "1.0.0"\n  hashes = [\n    "${ZH}"\n    "${H1}"\n  ]\n}\n`,
      `:5: expected "," or "]" after a hash, found the string "${H1}"`,
    ],
    ['provider "a.io/b/c" {\n  version = "${var.v}"\n}\n', ':2: template sequence ${ in a string'],
    ['provider "a.io/b/c" {\n  version = "1.0.0\n}\n', ':2: unterminated string'],
    ['provider "a.io/b/c" {\n  version = "1.0.0" constraints = "1"\n}\n', ':2: expected a line break after version, found "constraints"'],
    ['provider "a.io/b/c" {\n  version = "1.0.0"\n} provider "a.io/b/d" {\n}\n', ':3: expected a line break after the provider block, found "provider"'],
    ['provider "a.io/b/c" {\n  version = "1.0.0"\n', ':3: expected an attribute name or "}", found the end of the file'],
    ['provider "a.io/b/c" {\n  version = "1\\x"\n}\n', ':2: unsupported escape \\x'],
    ['/* never closed\nprovider "a.io/b/c" {}\n', ':1: unterminated /* comment'],
  ])('refuses %j with file:line', (text, message) => {
    expect(refuse(text)).toContain(`${F}${message}`);
  });

  it('readLockFile names a missing file', async () => {
    const dir = tempDir('atmos-action-lock-');
    try {
      await expect(readLockFile(path.join(dir, '.terraform.lock.hcl'))).rejects.toThrow(/cannot read the lock file .*\.terraform\.lock\.hcl/);
      fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), TERRAFORM_STYLE);
      expect((await readLockFile(path.join(dir, '.terraform.lock.hcl'))).map((p) => p.source)).toEqual([
        'registry.terraform.io/hashicorp/azurerm',
        'registry.terraform.io/hashicorp/random',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
