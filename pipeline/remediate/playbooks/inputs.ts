import { FiredrillError } from '../../../core/index.ts';
import type { PlaybookInputs } from './types.ts';

/** A finding did not carry (or the estate did not resolve) a value a playbook needs. */
export class MissingInputError extends FiredrillError {}

function missing(name: string, want: string, inputs: PlaybookInputs): never {
  throw new MissingInputError(`playbook input ${name} is missing or not ${want}`, {
    expected: `${name}: ${want}`,
    seen: `inputs ${JSON.stringify(inputs)}`,
    fix: 'check the playbook table entry of this finding kind and the entities the detector put on the finding',
  });
}

export function str(inputs: PlaybookInputs, name: string): string {
  const v = inputs[name];
  return typeof v === 'string' && v.length > 0 ? v : missing(name, 'a non-empty string', inputs);
}

export function optStr(inputs: PlaybookInputs, name: string): string | undefined {
  const v = inputs[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function num(inputs: PlaybookInputs, name: string): number {
  const v = inputs[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : missing(name, 'a number', inputs);
}

export function strList(inputs: PlaybookInputs, name: string): string[] {
  const v = inputs[name];
  if (typeof v === 'string' && v.length > 0) return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v as string[];
  return missing(name, 'a string or a non-empty list of strings', inputs);
}
