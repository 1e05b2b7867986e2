/**
 * A Go `text/template` engine (lexer → parse tree → executor, after Go's own structure) with the
 * Sprig and Gomplate functions Atmos stacks use. Pure: no environment, clock or process access
 * except through the ports the function libraries take. See docs/templates.md.
 */
export { Template, TemplateError, compileTemplate } from './template.js';
export type { CompileOptions, ExecuteOptions } from './template.js';
export type { MissingKey } from './exec.js';
export { goFunc } from './funcs.js';
export type { FuncMap, GoFunc, ParamType } from './funcs.js';
export { GoNumber, goFloat, goInt64, goTypeName, isTrue, isEmpty, stringSlice } from './values.js';
export { formatValue, sprint } from './fmt.js';
export { sprintf } from './printf.js';
export { sprigFuncs } from './sprig/index.js';
export type { SprigOptions } from './sprig/index.js';
export { decodeYamlForTemplates, resolvePlainScalar } from './yaml-data.js';
export { gomplateFuncs } from './gomplate/index.js';
