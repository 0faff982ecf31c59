/**
 * Files people write (drill scenarios, SUT files): YAML parsed with positions, zod issues explained with
 * expected / seen / fix and "did you mean", every problem at file:line:column. Not re-exported by core/index.ts,
 * so the pipeline's handlers do not load yaml and zod.
 */
export { formatIssue, type ConfigIssue } from './config-issue.ts';
export { displayPath, locate, type Located, type PathSegment } from './locate.ts';
export { closest, editDistance } from './suggest.ts';
export { explainIssues, showValue, type ExplainedIssue, type ExplainOptions } from './zod-issues.ts';
export { checkSchema, issueAt, parseYaml, sortIssues, type SchemaCheck, type YamlParse, type YamlSource } from './validate-yaml.ts';
