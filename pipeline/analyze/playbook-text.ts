import type { FailureClass, FindingKind } from '../../core/index.ts';

/**
 * What each failure class means and what to do about it, in the words the offline analyzer writes. `{root}` is
 * replaced by the root entity.
 */
export const CLASS_TEXT: Record<FailureClass, { label: string; meaning: string; action: string }> = {
  'connection-exhaustion': {
    label: 'Connection exhaustion',
    meaning: 'every connection slot was taken, so new connections were refused and the clients failed in turn',
    action: 'Raise max_connections (or the pool size) on {root}, put a connection pooler (RDS Proxy, PgBouncer) in front of it, and find the client that holds connections open.',
  },
  'dependency-unreachable': {
    label: 'Dependency unreachable',
    meaning: 'callers could not reach a dependency: connections were refused, reset or never answered',
    action: 'Check the health of {root} and the network path to it (security groups, DNS, recent changes); make callers fail fast and retry with backoff.',
  },
  'health-check-failure': {
    label: 'Health-check failures',
    meaning: 'tasks failed their health checks and were stopped and replaced',
    action: 'Find why {root} fails its health check (a dependency down, slow start, wrong path) before redeploying; widen the grace period only if start-up is slow.',
  },
  'out-of-memory': {
    label: 'Out of memory',
    meaning: 'processes ran out of memory and were killed',
    action: 'Raise the memory of {root} or find the leak: look at what grew before the kills.',
  },
  'disk-full': {
    label: 'Disk full',
    meaning: 'a file system ran out of space and writes failed',
    action: 'Free space on {root} (logs, temporary files), grow the volume, and alert on usage before it fills.',
  },
  throttling: {
    label: 'Throttling',
    meaning: 'requests were refused by a rate or concurrency limit',
    action: 'Retry with backoff and jitter, raise the limit for {root}, or smooth the load.',
  },
  'access-denied': {
    label: 'Access denied',
    meaning: 'calls were refused for lack of permission',
    action: 'Check the policies that apply to {root}: a permission lost in a change, or someone probing what they may do.',
  },
  'credential-compromise': {
    label: 'Compromised credentials',
    meaning: 'credentials were used from where and in ways they never were before',
    action: 'Deactivate the access keys of {root}, rotate its credentials, and review what it did (CloudTrail) and what else came from that address.',
  },
  'brute-force': {
    label: 'Brute force',
    meaning: 'many failed sign-ins: password guessing or credential stuffing',
    action: 'Block {root} (WAF IP set, NACL or security group), require keys or MFA, and lock out repeated failures.',
  },
  scanning: {
    label: 'Scanning',
    meaning: 'one source probed many ports, paths or injection payloads: reconnaissance',
    action: 'Block {root} at the edge (NACL, WAF IP set) and check what answered the probes.',
  },
  flood: {
    label: 'Request flood',
    meaning: 'one or a few sources sent far more requests than any client does',
    action: 'Rate-limit or block {root} (WAF rate-based rule, IP set), and scale the front end if real users suffer.',
  },
  'data-exfiltration': {
    label: 'Data exfiltration',
    meaning: 'an unusual volume of data left towards a destination never used before',
    action: 'Isolate {root}, block the destination, and find what was read.',
  },
  'mass-deletion': {
    label: 'Mass deletion',
    meaning: 'objects were deleted in bulk within minutes',
    action: 'Enable versioning and deny deletes on {root}, restore from versions or backups, and find the caller.',
  },
  timeout: {
    label: 'Timeouts',
    meaning: 'invocations ran until their time limit',
    action: 'Find the slow dependency of {root} in its logs around the timeouts, set client timeouts below its own, and throttle it if invocations pile up.',
  },
  'crash-loop': {
    label: 'Crash loop',
    meaning: 'tasks or processes keep exiting and being restarted',
    action: 'Read the exit reasons of {root}; roll back the last deployment if the restarts began with it.',
  },
  unknown: {
    label: 'Unclassified anomaly',
    meaning: 'the evidence does not say which kind of failure this is',
    action: 'Read the sample lines and the time span, and compare them with the last change to {root}.',
  },
};

/**
 * The class each of the detector's finding kinds suggests before any text is read: the detector's own words for
 * what it saw. Generic kinds (new pattern, pattern surge, metric anomaly) and root causes have none: their text
 * and chain decide.
 */
export const KIND_CLASS: Partial<Record<FindingKind, FailureClass>> = {
  'waf-geo-anomaly': 'flood',
  'waf-credential-stuffing': 'brute-force',
  'waf-sqli-scanner': 'scanning',
  'waf-http-flood': 'flood',
  'waf-bad-bots': 'scanning',
  'vpc-port-scan': 'scanning',
  'vpc-ssh-bruteforce': 'brute-force',
  'vpc-exfiltration': 'data-exfiltration',
  'vpc-ddos': 'flood',
  'ec2-ssh-bruteforce': 'brute-force',
  'ec2-disk-full': 'disk-full',
  'ec2-oom': 'out-of-memory',
  'cloudtrail-compromised-key': 'credential-compromise',
  'cloudtrail-console-login-failures': 'brute-force',
  'cloudtrail-access-denied-storm': 'access-denied',
  'cloudtrail-root-usage': 'credential-compromise',
  'lambda-timeout-storm': 'timeout',
  'lambda-memory-exhaustion': 'out-of-memory',
  's3-mass-delete': 'mass-deletion',
  's3-403-burst': 'access-denied',
  's3-unusual-get-volume': 'data-exfiltration',
  'rds-connection-exhaustion': 'connection-exhaustion',
  'app-db-errors': 'dependency-unreachable',
  'ecs-task-restarts': 'crash-loop',
  'eks-crashloop-storm': 'crash-loop',
  'eks-api-forbidden-burst': 'access-denied',
  'eks-exec-secret-access': 'credential-compromise',
  'eks-node-not-ready': 'health-check-failure',
};
