/**
 * The environment of every process a pull request's code can reach: terraform and its providers,
 * a component's `command:` override, `!exec` programs, and what Go templates' `env` and the `!env`
 * function read. The entry points build it once from their own environment and hand it to the core
 * as its environment; nothing else builds one.
 *
 * The rule (docs/security.md):
 * - `INPUT_*` never passes: those are our inputs (the encryption key and the token among them).
 * - `ACTIONS_*` does not pass (the runtime token that writes caches and artifacts, the cache and
 *   results service URLs), except `ACTIONS_ID_TOKEN_REQUEST_URL` and `ACTIONS_ID_TOKEN_REQUEST_TOKEN`:
 *   they exist only when the workflow grants `id-token: write`, and a provider that signs in with
 *   GitHub's OIDC token reads them (azurerm, azuread; a credentials file made by google-github-actions/auth).
 * - The step's file commands (`GITHUB_OUTPUT`, `GITHUB_ENV`, `GITHUB_PATH`, `GITHUB_STATE`,
 *   `GITHUB_STEP_SUMMARY`) do not pass: a child writing there would set our outputs or the next steps' environment.
 * - On GitHub Actions, `GITHUB_TOKEN` and `GH_TOKEN` do not pass.
 * - `ATMOS_ACTION_PASS_ENV` (comma-separated names) passes any of the withheld ones except `INPUT_*`
 *   (e.g. `GITHUB_TOKEN` for the github provider).
 * Everything else passes as it is: cloud credentials, proxies, `TF_*`, `ATMOS_*`, HOME, PATH.
 */

/** Names a workflow may list to pass a withheld variable through anyway. */
export const PASS_ENV = 'ATMOS_ACTION_PASS_ENV';

/** What a provider signing in with GitHub's OIDC token needs. */
export const OIDC_VARIABLES: readonly string[] = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'];

const FILE_COMMANDS: readonly string[] = ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'];
const WORKFLOW_TOKENS: readonly string[] = ['GITHUB_TOKEN', 'GH_TOKEN'];

export interface ChildEnvironment {
  env: Record<string, string | undefined>;
  /** Names taken out, sorted (for one debug line; never the values). */
  withheld: string[];
}

function withheldByDefault(name: string, onGitHub: boolean): boolean {
  if (name.startsWith('ACTIONS_')) return !OIDC_VARIABLES.includes(name);
  if (FILE_COMMANDS.includes(name)) return true;
  return onGitHub && WORKFLOW_TOKENS.includes(name);
}

/** The environment children get, from the entry point's own (see the module comment for the rule). */
export function childEnvironment(own: Record<string, string | undefined>): ChildEnvironment {
  const onGitHub = own.GITHUB_ACTIONS === 'true';
  const pass = new Set(
    (own[PASS_ENV] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const env: Record<string, string | undefined> = {};
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(own)) {
    if (value === undefined) continue;
    const keep = !name.startsWith('INPUT_') && (!withheldByDefault(name, onGitHub) || pass.has(name));
    if (keep) env[name] = value;
    else withheld.push(name);
  }
  return { env, withheld: withheld.sort() };
}
