/**
 * Static value lists of the EKS generator: the workloads the cluster runs, what their containers print, the
 * principals that call the API server and their habits. Logic lives elsewhere. Templates: {n} a number,
 * {ms} a duration, {uuid}, {hex8}, {sku}, {order}, {ip} a pod address, {path} an API path, {date} the
 * time, {user} a customer id.
 */

/** How a workload's containers write their lines. */
export type LogStyle = 'morgan' | 'logfmt' | 'json' | 'gunicorn';

export interface WorkloadProfile {
  namespace: string;
  name: string;
  /** Deployment replicas. */
  replicas: number;
  container: string;
  /** Image repository (in the account's ECR) and tag. */
  repo: string;
  tag: string;
  /** Share of all container lines. */
  weight: number;
  style: LogStyle;
  /** Lines of normal operation: template and relative weight; `stderr` lines go to stderr. */
  lines: readonly { t: string; w: number; level: string; stderr?: boolean }[];
  /** What a starting container prints, in order. */
  startup: readonly string[];
  /** What a container prints as it dies, by cause (OOM kills usually leave only the app's last complaint). */
  crash: { oom: readonly string[]; error: readonly string[] };
  /** Memory limit (MiB), for the OOM kill's message. */
  memoryMi: number;
}

export const WORKLOADS: readonly WorkloadProfile[] = [
  {
    namespace: 'shop', name: 'storefront', replicas: 3, container: 'storefront', repo: 'storefront', tag: '4.12.1', weight: 5, style: 'morgan', memoryMi: 512,
    lines: [
      { t: '::ffff:{ip} - - [{date}] "GET /products/{n} HTTP/1.1" 200 {n} "-" "Mozilla/5.0"', w: 8, level: 'INFO' },
      { t: '::ffff:{ip} - - [{date}] "GET /category/{n}?page={n} HTTP/1.1" 200 {n} "-" "Mozilla/5.0"', w: 4, level: 'INFO' },
      { t: '::ffff:{ip} - - [{date}] "POST /cart/items HTTP/1.1" 201 {n} "-" "Mozilla/5.0"', w: 2, level: 'INFO' },
      { t: '::ffff:{ip} - - [{date}] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.31+"', w: 3, level: 'INFO' },
      { t: 'warn: slow render of /products/{n} took {ms}ms', w: 0.3, level: 'WARNING' },
    ],
    startup: ['> storefront@4.12.1 start', '> node server.js', 'storefront listening on :8080 (NODE_ENV=production)', 'connected to redis at cache.shop.svc.cluster.local:6379'],
    crash: {
      oom: ['loading catalog into memory (products={n}000)'],
      error: ['Error: Cannot find module \'./config/production.json\'', '    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)', '    at Object.<anonymous> (/app/server.js:7:16)'],
    },
  },
  {
    namespace: 'shop', name: 'cart', replicas: 3, container: 'cart', repo: 'cart', tag: '1.8.0', weight: 4, style: 'logfmt', memoryMi: 256,
    lines: [
      { t: 'level=info ts={date} caller=handler.go:88 msg="cart updated" cart_id={hex8} items={n} latency_ms={ms}', w: 6, level: 'INFO' },
      { t: 'level=info ts={date} caller=handler.go:61 msg="cart read" cart_id={hex8} latency_ms={ms}', w: 8, level: 'INFO' },
      { t: 'level=info ts={date} caller=store.go:142 msg="redis pool stats" active={n} idle={n}', w: 1, level: 'INFO' },
      { t: 'level=warn ts={date} caller=handler.go:97 msg="price lookup slow" sku={sku} latency_ms={ms}', w: 0.3, level: 'WARNING' },
    ],
    startup: ['level=info ts={date} caller=main.go:41 msg="starting cart" version=1.8.0', 'level=info ts={date} caller=store.go:55 msg="connected to redis" addr=cache.shop.svc.cluster.local:6379', 'level=info ts={date} caller=main.go:77 msg="listening" addr=:8080'],
    crash: {
      oom: ['level=info ts={date} caller=import.go:31 msg="warming price cache" skus=250000'],
      error: ['panic: runtime error: invalid memory address or nil pointer dereference', '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x8f1c2a]', 'goroutine 1 [running]:', 'main.loadConfig(...)', '\t/src/cmd/cart/config.go:52 +0x2a'],
    },
  },
  {
    namespace: 'shop', name: 'payments', replicas: 2, container: 'payments', repo: 'payments', tag: '2.3.7', weight: 3, style: 'json', memoryMi: 1024,
    lines: [
      { t: '{"@timestamp":"{date}","level":"INFO","logger_name":"c.f.payments.PaymentService","thread_name":"http-nio-8080-exec-{n}","message":"Payment authorized order={order} amount={n}.00 currency=USD"}', w: 5, level: 'INFO' },
      { t: '{"@timestamp":"{date}","level":"INFO","logger_name":"c.f.payments.WebhookController","thread_name":"http-nio-8080-exec-{n}","message":"Webhook acknowledged id={uuid}"}', w: 2, level: 'INFO' },
      { t: '{"@timestamp":"{date}","level":"WARN","logger_name":"c.f.payments.PspClient","thread_name":"http-nio-8080-exec-{n}","message":"PSP responded in {ms} ms, retrying once"}', w: 0.3, level: 'WARNING' },
    ],
    startup: ['{"@timestamp":"{date}","level":"INFO","logger_name":"c.f.payments.Application","thread_name":"main","message":"Starting Application v2.3.7 using Java 21.0.5"}', '{"@timestamp":"{date}","level":"INFO","logger_name":"o.s.b.w.e.tomcat.TomcatWebServer","thread_name":"main","message":"Tomcat started on port 8080 (http) with context path \'/\'"}', '{"@timestamp":"{date}","level":"INFO","logger_name":"c.f.payments.Application","thread_name":"main","message":"Started Application in {n}.{n} seconds"}'],
    crash: {
      oom: ['{"@timestamp":"{date}","level":"ERROR","logger_name":"o.a.c.c.C.[.[.[/].[dispatcherServlet]","thread_name":"http-nio-8080-exec-{n}","message":"Servlet.service() threw exception java.lang.OutOfMemoryError: Java heap space"}'],
      error: ['{"@timestamp":"{date}","level":"ERROR","logger_name":"o.s.boot.SpringApplication","thread_name":"main","message":"Application run failed: org.springframework.beans.factory.BeanCreationException: Error creating bean with name \'dataSource\'"}'],
    },
  },
  {
    namespace: 'shop', name: 'inventory', replicas: 2, container: 'inventory', repo: 'inventory', tag: '0.19.2', weight: 2, style: 'gunicorn', memoryMi: 384,
    lines: [
      { t: 'INFO:inventory.api:reserved {n} units of {sku} for {order}', w: 5, level: 'INFO' },
      { t: 'INFO:inventory.api:stock level {sku} = {n}', w: 4, level: 'INFO' },
      { t: 'WARNING:inventory.api:stock for {sku} below reorder point ({n})', w: 0.4, level: 'WARNING' },
    ],
    startup: ['[{date}] [1] [INFO] Starting gunicorn 22.0.0', '[{date}] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)', '[{date}] [1] [INFO] Using worker: sync', '[{date}] [7] [INFO] Booting worker with pid: 7'],
    crash: {
      oom: ['[{date}] [1] [ERROR] Worker (pid:7) was sent SIGKILL! Perhaps out of memory?'],
      error: ['Traceback (most recent call last):', '  File "/app/inventory/db.py", line 18, in connect', 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not translate host name "inventory-db" to address'],
    },
  },
  {
    namespace: 'shop', name: 'notifications', replicas: 1, container: 'notifications', repo: 'notifications', tag: '1.1.0', weight: 1, style: 'logfmt', memoryMi: 128,
    lines: [
      { t: 'level=info ts={date} caller=mailer.go:40 msg="order confirmation queued" order={order}', w: 5, level: 'INFO' },
      { t: 'level=info ts={date} caller=sqs.go:77 msg="polled queue" messages={n}', w: 3, level: 'INFO' },
    ],
    startup: ['level=info ts={date} caller=main.go:22 msg="starting notifications" version=1.1.0'],
    crash: { oom: ['level=info ts={date} caller=batch.go:12 msg="loading templates"'], error: ['panic: missing required environment variable SES_FROM_ADDRESS'] },
  },
];

/** Versions the control plane and the kubelets report in user agents. */
export const KUBE_BUILD = { kubelet: 'v1.31.2-eks-94953ac', controller: 'v1.31.2-eks-7f9249a', gitCommit: '5864a46' } as const;

export const KUBECTL_AGENTS = [
  'kubectl/v1.31.2 (darwin/arm64) kubernetes/5864a46',
  'kubectl/v1.30.5 (linux/amd64) kubernetes/74e84a9',
  'kubectl/v1.31.1 (windows/amd64) kubernetes/948afe5',
] as const;
export const CI_AGENTS = ['Helm/3.16.2', 'kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46'] as const;

/** What internet scanners try on a public API server endpoint (paths only; resources are `resource` requests). */
export const SCANNER_PATHS = ['/', '/api', '/apis', '/.env', '/metrics', '/openapi/v2', '/api/v1/pods', '/api/v1/namespaces', '/api/v1/secrets'] as const;
export const SCANNER_AGENTS = ['Mozilla/5.0 zgrab/0.x', 'python-requests/2.31.0', 'Go-http-client/1.1', 'curl/8.5.0', 'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)'] as const;

/** An anonymous enumeration: (verb, resource, namespaced) in the order a tool like kube-hunter or peirates walks them. */
export const ENUMERATION: readonly { verb: 'get' | 'list'; resource: string; group: string; version: string; namespaced: boolean }[] = [
  { verb: 'list', resource: 'namespaces', group: '', version: 'v1', namespaced: false },
  { verb: 'list', resource: 'pods', group: '', version: 'v1', namespaced: true },
  { verb: 'list', resource: 'secrets', group: '', version: 'v1', namespaced: true },
  { verb: 'list', resource: 'configmaps', group: '', version: 'v1', namespaced: true },
  { verb: 'list', resource: 'serviceaccounts', group: '', version: 'v1', namespaced: true },
  { verb: 'list', resource: 'nodes', group: '', version: 'v1', namespaced: false },
  { verb: 'list', resource: 'deployments', group: 'apps', version: 'v1', namespaced: true },
  { verb: 'list', resource: 'daemonsets', group: 'apps', version: 'v1', namespaced: true },
  { verb: 'list', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false },
  { verb: 'list', resource: 'roles', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true },
  { verb: 'get', resource: 'secrets', group: '', version: 'v1', namespaced: true },
];

export const NAMESPACES = ['default', 'kube-system', 'kube-public', 'shop', 'amazon-cloudwatch'] as const;

/** Secrets that exist in the cluster (by namespace), for reads. */
export const SECRETS: Readonly<Record<string, readonly string[]>> = {
  shop: ['payments-db', 'payments-psp-api-key', 'storefront-session', 'cart-redis', 'sh.helm.release.v1.shop.v41', 'sh.helm.release.v1.shop.v42'],
  'kube-system': ['aws-node-token', 'coredns-token', 'bootstrap-token-x7k2p9'],
  'amazon-cloudwatch': ['cloudwatch-agent-token'],
  default: ['default-token-bx9p4'],
};

/** klog lines the API server writes at verbosity 2 when nothing is wrong. */
export const APISERVER_LINES: readonly { t: string; w: number; file: string; severity: 'I' | 'W' }[] = [
  { t: 'Trace[{trace}]: "Update" accept:application/vnd.kubernetes.protobuf,application/json,audit-id:{uuid},client:{nodeip},api-group:coordination.k8s.io,api-version:v1,name:{node},subresource:,namespace:kube-node-lease,protocol:HTTP/2.0,resource:leases,scope:resource,url:/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{node},user-agent:kubelet/v1.31.2-eks-94953ac (linux/amd64) kubernetes/5864a46,verb:PUT (total time: {ms}ms):\nTrace[{trace}]: ["GuaranteedUpdate etcd3" audit-id:{uuid},key:/leases/kube-node-lease/{node},type:*coordination.Lease,resource:leases.coordination.k8s.io {ms}ms]\nTrace[{trace}]: [{ms}ms] [{ms}ms] END', w: 3, file: 'trace.go:236', severity: 'I' },
  { t: '"cacher (pods): 1 objects queued in incoming channel." reason="incoming channel is full"', w: 0.5, file: 'cacher.go:901', severity: 'W' },
  { t: 'quota admission added evaluator for: leases.coordination.k8s.io', w: 0.5, file: 'controller.go:615', severity: 'I' },
  { t: '"Error getting ResourceQuota" err="context canceled"', w: 0.5, file: 'resource_quota_controller.go:283', severity: 'W' },
];
