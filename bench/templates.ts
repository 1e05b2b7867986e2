/**
 * `npm run bench -- templates [renders]`: the Go-template engine's cost per compile and per render
 * for the shapes stacks use (a one-field interpolation, a name_template, a tags block).
 */
import { compileTemplate, sprigFuncs } from '../src/templates/index.js';

const cases: [string, string][] = [
  ['field', '{{ .vars.x }}'],
  ['name_template', '{{ .vars.tenant }}-{{ .vars.environment }}-{{ .vars.stage }}'],
  [
    'tags_block',
    'Name: {{ .atmos_component }}-{{ .atmos_stack }}\nStage: {{ .vars.stage | upper }}\nN: {{ printf "%03d" .vars.n }}\nTags: {{ toJson .vars.tags }}',
  ],
];

const data = {
  vars: { x: 'value', tenant: 'plat', environment: 'ue2', stage: 'dev', n: 3, tags: { team: 'a', cost_center: 42 } },
  atmos_component: 'vpc',
  atmos_stack: 'plat-ue2-dev',
};

export async function main(args: string[]): Promise<void> {
  const renders = Number(args[0] ?? 100_000);
  const funcs = sprigFuncs();
  const summary: string[] = [];
  console.log('case            compile_us  render_us  (renders: %d)', renders);
  for (const [name, text] of cases) {
    const compiles = 2_000;
    let t0 = performance.now();
    for (let i = 0; i < compiles; i++) compileTemplate(text, { funcs });
    const compileUs = ((performance.now() - t0) * 1000) / compiles;
    const t = compileTemplate(text, { funcs });
    for (let i = 0; i < 20_000; i++) t.execute(data); // let the JIT settle first
    t0 = performance.now();
    for (let i = 0; i < renders; i++) t.execute(data);
    const renderUs = ((performance.now() - t0) * 1000) / renders;
    console.log(`${name.padEnd(15)} ${compileUs.toFixed(2).padStart(10)} ${renderUs.toFixed(3).padStart(10)}`);
    summary.push(`${name}_compile_us=${compileUs.toFixed(2)} ${name}_render_us=${renderUs.toFixed(3)}`);
  }
  console.log(`bench templates: ${summary.join(' ')}`);
}
