import path from 'node:path';
import { toolVersions } from '../../src/app/tool-versions.js';
import type { Tool } from '../../src/config/tool.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/** The terraform / OpenTofu version the workflows install: the input, else the nearest version file. */
const needs = (...tools: Tool[]) => new Map(tools.map((t) => [t, `component vpc in stack dev`]));

describe('tool versions', () => {
  it('the input wins; else the tool file, else .tool-versions; the nearest directory first, never above the root', () => {
    const root = writeTree(tempDir('atmos-tv-'), {
      '.terraform-version': '1.9.8\n',
      '.tool-versions': '# managed by asdf\nterraform 1.5.0\nopentofu   1.10.6 1.10.5  # fallbacks are ignored\n',
      'infra/.tool-versions': 'nodejs 24\n',
      'infra/atmos/.opentofu-version': '\n~1.11\n',
    });
    const cwd = path.join(root, 'infra/atmos');
    const s = { cwd, root, inputs: {} };
    expect(toolVersions(needs('terraform', 'tofu'), s)).toEqual({
      terraform: { version: '1.9.8', from: '.terraform-version' },
      tofu: { version: '~1.11', from: 'infra/atmos/.opentofu-version' },
    });
    expect(toolVersions(needs('terraform'), { ...s, inputs: { terraform: ' 1.11.4 ' } })).toEqual({
      terraform: { version: '1.11.4', from: 'input terraform-version' },
    });
    expect(toolVersions(needs('tofu'), { ...s, cwd: path.join(root, 'infra') })).toEqual({ tofu: { version: '1.10.6', from: '.tool-versions:3' } });
    // Only the tools the instances run are resolved.
    expect(toolVersions(needs(), s)).toEqual({});
    // A file above the repository root is not the repository's.
    expect(() => toolVersions(needs('terraform'), { cwd, root: path.join(root, 'infra'), inputs: {} })).toThrow(/no terraform version is set/);
  });

  it('a tool needed without any version, or a version the setup actions cannot take, is an error naming the fix', () => {
    const root = writeTree(tempDir('atmos-tv-'), { '.opentofu-version': 'latest:^1.8\n' });
    const s = { cwd: root, root, inputs: {} };
    expect(() => toolVersions(needs('terraform'), s)).toThrow(
      'component vpc in stack dev runs terraform, but no terraform version is set: set the input terraform-version, or commit a .terraform-version file (or a "terraform <version>" line in .tool-versions) at the repository root',
    );
    expect(() => toolVersions(needs('tofu'), s)).toThrow(
      '.opentofu-version: "latest:^1.8" is not a version the setup actions take (e.g. 1.11.4, ~1.10, latest)',
    );
    expect(() => toolVersions(needs('tofu'), { ...s, inputs: { tofu: '1.10 1.11' } })).toThrow(/input opentofu-version: "1.10 1.11" is not a version/);
  });
});
