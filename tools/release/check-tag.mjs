#!/usr/bin/env node
// Release checks for a tag vX.Y.Z (run by .github/workflows/release.yml, tested by
// test/unit/release.test.ts): the tag is a full semantic version, package.json says the same
// version, and CHANGELOG.md has a section "## [X.Y.Z]" with notes, which it prints (the release body).
//   node tools/release/check-tag.mjs v1.2.3            → the release notes
//   node tools/release/check-tag.mjs v1.2.3 --major    → v1
import fs from 'node:fs';
import path from 'node:path';

const [tag, flag] = process.argv.slice(2);
const root = process.env.RELEASE_ROOT || process.cwd();
const fail = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const m = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(tag ?? '');
if (!m) fail(`the tag ${JSON.stringify(tag ?? '')} is not vX.Y.Z (release tags are full versions; the major tag vX is moved by the release)`);
const version = tag.slice(1);
if (flag === '--major') {
  process.stdout.write(`v${m[1]}\n`);
  process.exit(0);
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
if (pkg.version !== version) fail(`package.json says version ${pkg.version}, the tag ${tag}: bump package.json (and src/util/version.ts) before tagging`);

const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8').split(/\r?\n/);
const heading = (line) => /^## \[?([^\]\s]+)\]?/.exec(line)?.[1];
const start = changelog.findIndex((line) => heading(line) === version);
if (start < 0) fail(`CHANGELOG.md has no section "## [${version}]": move the Unreleased notes under it before tagging`);
let end = changelog.findIndex((line, i) => i > start && heading(line) !== undefined);
if (end < 0) end = changelog.length;
const notes = changelog
  .slice(start + 1, end)
  .join('\n')
  .trim();
if (!notes) fail(`CHANGELOG.md's section for ${version} is empty`);
process.stdout.write(`${notes}\n`);
