/**
 * The YAML tags Atmos accepts (its `pkg/function/tag` registry). Any other local tag (`!envv`,
 * `!exce`) is an error naming the file and line, as in Atmos; the standard `!!` tags are always
 * accepted. Stack manifests (and YAML files they include) accept every registered function;
 * atmos.yaml accepts the ones Atmos preprocesses there.
 */

/** The functions that read files and the repository, accepted in manifests and in atmos.yaml alike. */
const FILE_AND_REPOSITORY_FUNCTIONS = [
  'include',
  'include.raw',
  'repo-root',
  'git.root',
  'git.sha',
  'git.branch',
  'git.ref',
  'git.repository',
  'git.owner',
  'git.name',
  'git.host',
  'git.url',
];

/** Every YAML function Atmos registers, as written in a stack manifest. */
export const STACK_MANIFEST_TAGS: ReadonlySet<string> = new Set(
  [
    'exec',
    'secret',
    'store',
    'store.get',
    'template',
    'terraform.output',
    'terraform.state',
    'env',
    'cel',
    ...FILE_AND_REPOSITORY_FUNCTIONS,
    'append',
    'cwd',
    'unset',
    'random',
    'literal',
    'aws.account_id',
    'aws.caller_identity_arn',
    'aws.caller_identity_user_id',
    'aws.region',
    'aws.organization_id',
    'emulator',
    'version',
    'tags',
    'labels',
    'labels.keys',
    'labels.values',
  ].map((t) => `!${t}`),
);

/** The tags Atmos preprocesses in atmos.yaml (plus `!append`, which its config merge honours). */
export const ATMOS_YAML_TAGS: ReadonlySet<string> = new Set(
  ['env', 'exec', ...FILE_AND_REPOSITORY_FUNCTIONS, 'cwd', 'random', 'unset', 'append'].map((t) => `!${t}`),
);
