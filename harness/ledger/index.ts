export { balanceLedger, formatLedger, type PipelineLedger, type SourceLedger } from './balance.ts';
