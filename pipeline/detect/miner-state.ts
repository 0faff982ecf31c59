import { TemplateMiner, type TemplateMinerState } from './template-miner.ts';

/** A fresh, empty template-miner state with the default options. */
export function createMiner(): TemplateMinerState {
  return new TemplateMiner().toJSON();
}
