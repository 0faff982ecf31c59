export { LiveHub, type LiveMessage } from './live-hub.ts';
export { createRunMetrics, type RunMetrics, type TickCounts } from './drill-metrics.ts';
export { startLiveServer, type LiveServer, type LiveServerOptions } from './live-server.ts';
export { LIVE_PAGE } from './live-page.ts';
