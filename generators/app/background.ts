import type { Rng } from '../../core/index.ts';
import { arrivals } from '../common/rate/index.ts';
import { mergeByTime } from '../common/merge.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent, GenerateWindow } from '../types.ts';
import { serviceModel, type ServiceModel } from '../ecs/service-model.ts';
import { ENDPOINTS, HEALTH_INTERVAL_MS, HEALTH_PATH, LOGGERS, PAYMENT_PROVIDERS, PAYMENT_TIMEOUT_FRAMES } from './data.ts';
import { exceptionLine, jsonLine, requestLine } from './lines.ts';
import { appUsers, concretePath, drawUser } from './traffic.ts';

const ENDPOINT_WEIGHTS = ENDPOINTS.map((e) => e.weight);

function* requests(rng: Rng, model: ServiceModel, users: readonly string[], req: BackgroundRequest): Generator<GeneratedEvent> {
  const c = rng.fork('content');
  for (const t of arrivals(rng.fork('arrivals'), req.rate, req.window)) {
    const e = c.weighted(ENDPOINTS, ENDPOINT_WEIGHTS);
    const task = c.pick(model.tasks).taskId;
    const user = drawUser(c, users);
    let status = 200;
    let r = c.next();
    for (const err of e.errors) {
      if (r < err.p) {
        status = err.status;
        break;
      }
      r -= err.p;
    }
    if (status === 200 && e.method === 'POST') status = 201;
    const ms = Math.max(1, c.logNormal(Math.log(e.p50Ms), e.sigma));
    const path = concretePath(c, e);
    if (e.path === '/api/checkout') {
      const orderId = c.int(100000, 999999);
      if (status === 500) {
        // The service's usual 500: the payment provider timing out, logged with its traceback.
        yield exceptionLine(model, task, t, LOGGERS.payments, `payment authorization failed for order ${orderId}`, PAYMENT_TIMEOUT_FRAMES,
          "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.stripe.com', port=443): Read timed out. (read timeout=10)");
      } else if (status === 201) {
        const amount = Math.round(c.logNormal(4, 0.7) * 100) / 100;
        yield jsonLine(c, model, task, t, LOGGERS.payments, 'info', 'payment_authorized', { order_id: orderId, provider: c.pick(PAYMENT_PROVIDERS), amount, duration_ms: Math.round(ms * 0.6) }, undefined, { micros: [0, 499] });
        yield jsonLine(c, model, task, t, LOGGERS.orders, 'info', 'order_created', { order_id: orderId, user, items: c.int(1, 6), total: amount }, undefined, { micros: [500, 999] });
      }
    } else if (e.path === '/api/cart/items' && status === 201 && c.chance(0.5)) {
      yield jsonLine(c, model, task, t, LOGGERS.cart, 'info', 'cart_updated', { user, sku: `SKU-${c.int(10000, 99999)}`, qty: c.int(1, 3) });
    }
    yield requestLine(model, task, t, { method: e.method, path, status, ms, user });
  }
}

/** The target group's health check against one task, every 30 s at a phase of its own. */
function* healthChecks(rng: Rng, model: ServiceModel, taskId: string, w: GenerateWindow): Generator<GeneratedEvent> {
  const phase = parseInt(taskId.slice(0, 6), 16) % HEALTH_INTERVAL_MS;
  let t = Math.ceil((w.start - phase) / HEALTH_INTERVAL_MS) * HEALTH_INTERVAL_MS + phase;
  for (; t < w.end; t += HEALTH_INTERVAL_MS) {
    yield requestLine(model, taskId, t, { method: 'GET', path: HEALTH_PATH, status: 200, ms: 1 + rng.int(0, 3), user: '-' });
  }
}

/**
 * The checkout service's normal logs: access lines (plain `logging`) for every request with each
 * endpoint's usual latency and error mix, structlog JSON business events (orders, payments, carts), the
 * occasional payment-provider timeout with its traceback, and the load balancer's health checks.
 * `req.rate` is requests per second across all tasks.
 */
export const appBackground: BackgroundGenerator = {
  source: 'app',
  generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Iterable<GeneratedEvent> {
    const model = serviceModel(pools);
    const users = appUsers(pools);
    return mergeByTime([
      requests(rng.fork('requests'), model, users, req),
      ...model.tasks.map((task) => healthChecks(rng.fork(`health/${task.taskId}`), model, task.taskId, req.window)),
    ]);
  },
};
