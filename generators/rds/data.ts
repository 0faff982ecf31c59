/**
 * Static value lists of the orders database: tables, statements the checkout service runs, and the
 * constraint violations it occasionally hits. Kept apart from the generator logic.
 */
export const TABLES = ['orders', 'order_items', 'carts', 'cart_items', 'customers', 'payments', 'inventory'] as const;

/** Statements that time out under statement_timeout (long reports and unindexed lookups). */
export const SLOW_STATEMENTS = [
  'SELECT o.id, o.status, sum(i.qty * i.unit_price) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.created_at > $1 GROUP BY o.id, o.status',
  'SELECT * FROM payments WHERE provider_ref = $1',
  'UPDATE inventory SET reserved = reserved + $1 WHERE sku = $2',
  'SELECT c.id, count(*) FROM carts c JOIN cart_items ci ON ci.cart_id = c.id WHERE c.updated_at < $1 GROUP BY c.id',
] as const;

/** INSERTs that can collide on a unique constraint, with the constraint and its key columns. */
export const UNIQUE_VIOLATIONS = [
  { statement: 'INSERT INTO order_items (order_id, line_no, sku, qty, unit_price) VALUES ($1, $2, $3, $4, $5)', constraint: 'order_items_pkey', key: ['order_id', 'line_no'] },
  { statement: 'INSERT INTO payments (order_id, provider_ref, amount) VALUES ($1, $2, $3)', constraint: 'payments_provider_ref_key', key: ['provider_ref'] },
  { statement: 'INSERT INTO carts (id, customer_id) VALUES ($1, $2)', constraint: 'carts_pkey', key: ['id'] },
] as const;

/** Statements slow enough to pass log_min_duration_statement (1 s) now and then. */
export const LOGGED_DURATION_STATEMENTS = [
  'SELECT id, status, total FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20',
  'SELECT sku, available FROM inventory WHERE sku = ANY($1)',
  'UPDATE orders SET status = $1, updated_at = now() WHERE id = $2',
] as const;

export const SSL_SUFFIX = 'SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)';
