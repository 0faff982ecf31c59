/**
 * Static value lists of the checkout service: its endpoints with their usual latency and error mix, the
 * loggers it writes through, and the Python exceptions it raises. Kept apart from the generator logic.
 */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template; `{id}` becomes a number. */
  path: string;
  weight: number;
  /** Median latency (ms) and log-normal spread. */
  p50Ms: number;
  sigma: number;
  /** Usual non-2xx outcomes with their probabilities: each endpoint's normal error rate. */
  errors: readonly { status: number; p: number }[];
  /** Whether the request touches the database (these fail in a DB incident). */
  db: boolean;
}

export const ENDPOINTS: readonly Endpoint[] = [
  { method: 'GET', path: '/api/cart', weight: 30, p50Ms: 12, sigma: 0.4, errors: [{ status: 500, p: 0.002 }], db: true },
  { method: 'POST', path: '/api/cart/items', weight: 14, p50Ms: 24, sigma: 0.45, errors: [{ status: 400, p: 0.01 }, { status: 500, p: 0.002 }], db: true },
  { method: 'DELETE', path: '/api/cart/items/{id}', weight: 4, p50Ms: 18, sigma: 0.4, errors: [{ status: 404, p: 0.03 }], db: true },
  { method: 'GET', path: '/api/products/{id}', weight: 24, p50Ms: 7, sigma: 0.5, errors: [{ status: 404, p: 0.02 }], db: false },
  { method: 'POST', path: '/api/checkout', weight: 5, p50Ms: 180, sigma: 0.5, errors: [{ status: 402, p: 0.02 }, { status: 500, p: 0.005 }], db: true },
  { method: 'GET', path: '/api/orders', weight: 9, p50Ms: 34, sigma: 0.5, errors: [{ status: 500, p: 0.002 }], db: true },
  { method: 'GET', path: '/api/orders/{id}', weight: 8, p50Ms: 15, sigma: 0.4, errors: [{ status: 404, p: 0.01 }], db: true },
  { method: 'PUT', path: '/api/customers/me', weight: 2, p50Ms: 28, sigma: 0.4, errors: [{ status: 422, p: 0.02 }], db: true },
];

/** The target group's health check (every 30 s per task). The handler runs `SELECT 1` on the pool. */
export const HEALTH_PATH = '/health';
export const HEALTH_INTERVAL_MS = 30_000;

export const LOGGERS = { api: 'checkout.api', db: 'checkout.db', orders: 'checkout.orders', payments: 'checkout.payments', cart: 'checkout.cart' } as const;

export const PAYMENT_PROVIDERS = ['stripe', 'adyen'] as const;

export const SITE_PACKAGES = '/usr/local/lib/python3.12/site-packages';

/** Frames of a failed connect through SQLAlchemy's pool into psycopg2 (innermost last). */
export const CONNECT_FRAMES: readonly string[] = [
  `  File "/app/checkout/db.py", line 41, in session_scope`,
  `    with engine.begin() as conn:`,
  `  File "${SITE_PACKAGES}/sqlalchemy/engine/base.py", line 3268, in begin`,
  `    with self.connect() as conn:`,
  `  File "${SITE_PACKAGES}/sqlalchemy/pool/base.py", line 896, in __connect`,
  `    self.dbapi_connection = connection = pool._invoke_creator(self)`,
  `  File "${SITE_PACKAGES}/psycopg2/__init__.py", line 122, in connect`,
  `    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)`,
];

/** Frames of a checkout that waited for a pooled connection and gave up (pool_timeout = 30 s). */
export const POOL_FRAMES: readonly string[] = [
  `  File "/app/checkout/db.py", line 41, in session_scope`,
  `    with engine.begin() as conn:`,
  `  File "${SITE_PACKAGES}/sqlalchemy/pool/impl.py", line 157, in _do_get`,
  `    raise exc.TimeoutError(`,
];

export const PAYMENT_TIMEOUT_FRAMES: readonly string[] = [
  `  File "/app/checkout/payments.py", line 88, in authorize`,
  `    resp = self.session.post(url, json=body, timeout=10)`,
  `  File "${SITE_PACKAGES}/requests/adapters.py", line 713, in send`,
  `    raise ReadTimeout(e, request=request)`,
];

export const POOL_TIMEOUT_MESSAGE = 'sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)';
