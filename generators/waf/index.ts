export { wafBackground, wafBackgroundLines, backgroundRecord, WafBackgroundStream } from './background.ts';
export { wafGeoAnomaly } from './geo-anomaly.ts';
export { wafCredentialStuffing } from './credential-stuffing.ts';
export { wafSqliScanner } from './sqli-scanner.ts';
export { wafHttpFlood } from './http-flood.ts';
export { wafBadBots } from './bad-bots.ts';
export { wafShareShift, WAF_SHARE_SHIFT_MODES } from './share-shift.ts';
export { wafContext, type WafContext } from './model.ts';
