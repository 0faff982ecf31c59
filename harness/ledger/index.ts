export { balanceLedger, formatLedger, type PipelineLedger, type SourceLedger } from './balance.ts';
export { ledgerSummary, deliveryLedgerSummary } from './ledger-summary.ts';
