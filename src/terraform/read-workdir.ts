/**
 * The workdir of an instance whose outputs or state another instance reads with terraform
 * (`!terraform.output`, `atmos.Component … .outputs`, `terraform state pull`), where this run did
 * not run it: a plan leg in its own CI job has only its own instance on disk. The runner provisions
 * the read instance's workdir as for any run (the provider store makes its providers cheap), and
 * this module initialises it for reading only: its generated files but the varfile, then
 * `terraform init -input=false -lock=false` in the default workspace, so that terraform reaches
 * the state with the backend's own login. What init may touch is local to the workdir
 * (`.terraform/`, a lock file, the init record); it never writes the read instance's state: no
 * apply, no `workspace new` (the workspace is chosen with TF_WORKSPACE by the read itself), no
 * state push, no lock taken (docs/stores.md, "Outputs from any job").
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TerraformSettings } from '../config/types.js';
import type { Exec } from '../ports/exec.js';
import type { Log } from '../ports/log.js';
import { displayName } from '../stacks/identity.js';
import { withSections } from '../stacks/instance.js';
import type { Instance } from '../stacks/types.js';
import { InstanceError } from '../util/errors.js';
import { initArgs, terraformEnv } from './commands.js';
import { generatedFiles, writeGeneratedFiles } from './generate.js';
import { initNeedsReconfigure, recordInit } from './init-record.js';
import { terraformError, terraformProcess } from './process.js';

export interface ReadInitRequest {
  /** The read instance, its backend, env, providers and generate sections with their values filled in. */
  instance: Instance;
  /** Its provisioned workdir (ProvisionResult.terraformDir). */
  workdir: string;
  /** Whether provisioning changed it (then init reconfigures). */
  reprovisioned: boolean;
  settings: TerraformSettings;
  /** The environment its init starts from (the provider store's, when on). */
  env: Record<string, string | undefined>;
  initGate?: <T>(init: () => Promise<T>) => Promise<T>;
  signal?: AbortSignal;
}

/** Initialises `req.workdir` for reading `req.instance`'s outputs or state; nothing when it is initialised with the same backend. */
export async function initForRead(req: ReadInitRequest, ports: { exec: Exec; log: Log }): Promise<void> {
  const i = req.instance;
  // The varfile is for plan and apply: the reader needs none of the read instance's inputs (some may be known at run time only).
  const files = generatedFiles(withSections(i, { vars: {} }, {}), {
    autoGenerateBackendFile: req.settings.autoGenerateBackendFile,
    autoGenerateFiles: req.settings.autoGenerateFiles,
  });
  const written = await writeGeneratedFiles(
    req.workdir,
    files.filter((f) => f.kind !== 'varfile'),
  );
  const backendFile = written.find((w) => w.kind === 'backend')?.path;
  const initialised = fs.existsSync(path.join(req.workdir, '.terraform'));
  const reconfigure = req.reprovisioned || initNeedsReconfigure(req.workdir, backendFile);
  if (initialised && !reconfigure) return;
  const { env } = terraformEnv({ userEnv: req.env, componentEnv: i.env, parallel: false });
  // Init in the default workspace: with TF_WORKSPACE set, init creates that workspace when it is missing.
  delete env.TF_WORKSPACE;
  const tf = terraformProcess(ports.exec, ports.log, {
    command: i.command || 'terraform',
    cwd: req.workdir,
    env,
    signal: req.signal,
    where: `component ${i.component} in stack ${i.stack}`,
  });
  ports.log.info(`initialising the workdir of ${displayName(i)} to read it (init only: its state is not changed)`);
  const run = () => tf.run(initArgs({ reconfigure, noLock: true }));
  const r = await (req.initGate ? req.initGate(run) : run());
  if (r.code !== 0) throw new InstanceError(`initialising the workdir of ${displayName(i)} to read it failed: ${terraformError(r, 'init')}`);
  await recordInit(req.workdir, backendFile);
}
