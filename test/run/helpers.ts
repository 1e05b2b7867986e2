/** Shared by the plan/apply/destroy tests: a throwaway Atmos repository and the CLI from dist/ as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { distEntry, tempDir, writeTree } from '../helpers/fs.js';
import { requireTerraform, terraformTestEnv } from '../terraform/helpers.js';

export interface InstanceSpec {
  /** The base component (metadata.component); default `base`. */
  component?: string;
  vars?: Record<string, unknown>;
  /** Instances in the same stack this one depends on, via settings.depends_on. */
  dependsOn?: string[];
  /** The same, via dependencies.components. */
  dependencies?: string[];
}

/**
 * A root module whose only resource is the builtin terraform_data. Its create-time and destroy-time
 * local-exec provisioners append `start <name>` / `end <name>` / `destroy <name>` to `events`
 * (sleeping `sleep` seconds in between), so tests can read the order in which instances ran. With
 * `wait_for`, the provisioner first waits (up to 30 s) until that line is in `events`: a test orders
 * instances by what happened, not by how long something takes. The backend (local) comes from the
 * generated backend.tf.json.
 */
export const BASE_MODULE = `variable "name" { type = string }
variable "events" {
  type    = string
  default = "/dev/null"
}
variable "sleep" {
  type    = number
  default = 0
}
variable "wait_for" {
  type    = string
  default = ""
}
variable "fail" {
  type    = bool
  default = false
}
resource "terraform_data" "this" {
  input = { name = var.name, events = var.events, sleep = var.sleep, wait_for = var.wait_for }
  lifecycle {
    precondition {
      condition     = !var.fail
      error_message = "instance \${var.name} is set to fail"
    }
  }
  provisioner "local-exec" {
    command = "echo start \${self.input.name} >> \${self.input.events}; i=0; while [ -n '\${self.input.wait_for}' ] && [ $i -lt 300 ] && ! grep -qx '\${self.input.wait_for}' \${self.input.events}; do sleep 0.1; i=$((i+1)); done; sleep \${self.input.sleep}; echo end \${self.input.name} >> \${self.input.events}"
  }
  provisioner "local-exec" {
    when    = destroy
    command = "echo destroy \${self.input.name} >> \${self.input.events}"
  }
}
output "name" { value = terraform_data.this.output.name }
`;

export interface TestRepo {
  dir: string;
  env: Record<string, string>;
  events: string;
  /** Rewrites the stack (same instances, new vars). */
  writeStack(instances: Record<string, InstanceSpec>): void;
  readEvents(): string[];
}

export function makeRepo(instances: Record<string, InstanceSpec>, extraFiles: Record<string, string> = {}): TestRepo {
  requireTerraform();
  const dir = tempDir('atmos-action-run-');
  const events = path.join(dir, 'events.log');
  writeTree(dir, {
    'atmos.yaml':
      'base_path: "."\ncomponents:\n  terraform:\n    base_path: components/terraform\n    auto_generate_backend_file: true\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/*"]\n  name_pattern: "{stage}"\n',
    'components/terraform/base/main.tf': BASE_MODULE,
    ...extraFiles,
  });
  const writeStack = (specs: Record<string, InstanceSpec>) => {
    const components: Record<string, unknown> = {};
    for (const [name, s] of Object.entries(specs)) {
      components[name] = {
        metadata: { component: s.component ?? 'base' },
        vars: { name, events, ...s.vars },
        ...(s.dependsOn ? { settings: { depends_on: Object.fromEntries(s.dependsOn.map((d, i) => [String(i + 1), { component: d }])) } } : {}),
        ...(s.dependencies ? { dependencies: { components: s.dependencies.map((d) => ({ component: d })) } } : {}),
      };
    }
    // JSON is YAML; workdirs are deliberately not enabled: plan/apply/destroy always isolate.
    const stack = { vars: { stage: 'dev' }, terraform: { backend_type: 'local', backend: { local: {} } }, components: { terraform: components } };
    fs.writeFileSync(path.join(dir, 'stacks/deploy/dev.yaml'), JSON.stringify(stack, null, 2));
  };
  fs.mkdirSync(path.join(dir, 'stacks/deploy'), { recursive: true });
  writeStack(instances);
  return {
    dir,
    env: terraformTestEnv(dir),
    events,
    writeStack,
    readEvents: () => (fs.existsSync(events) ? fs.readFileSync(events, 'utf8').trim().split('\n').filter(Boolean) : []),
  };
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Processes whose working directory is under `dir` (terraform, its shell and sleep), from /proc: pid and command line. */
export function processesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      if (cwd.startsWith(dir)) found.push(`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * Sends `signal` to `child` once `ready()` holds (polled every `everyMs`), at most once; `sent()`
 * says whether it was. For killing a run at a chosen moment (terraform inside a slow provisioner).
 */
export function signalWhen(child: ChildProcess, ready: () => boolean, signal: NodeJS.Signals, everyMs = 50): { sent: () => boolean } {
  let sent = false;
  const poll = setInterval(() => {
    if (!sent && ready()) {
      sent = true;
      clearInterval(poll);
      child.kill(signal);
    }
  }, everyMs);
  child.on('close', () => clearInterval(poll));
  return { sent: () => sent };
}

/** Starts `node dist/cli/index.js args` as a child process; `during` can act on it while it runs. */
export function cli(args: string[], env: Record<string, string>, during?: (child: ReturnType<typeof spawn>) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [distEntry('cli'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    during?.(child);
  });
}

export interface JsonResult {
  instance: string;
  component: string;
  status: string;
  reason: string;
  planfile?: string;
  duration_ms: number;
  counts?: { add: number; change: number; destroy: number };
  steps: { step: string; ms: number; code: number | null }[];
}

export function jsonResults(r: CliRun): Record<string, JsonResult> {
  const parsed = JSON.parse(r.stdout) as { results: JsonResult[] };
  return Object.fromEntries(parsed.results.map((x) => [x.component, x]));
}

export function workdirOf(repo: TestRepo, component: string): string {
  return path.join(repo.dir, '.workdir/terraform', `dev-${component.replace(/-/g, '-h')}`);
}

/** Every file under `dir` with its bytes, for byte-identical comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}
