/**
 * The shared vocabulary: log sources, finding kinds and remediation outcomes. Scenarios' expectations,
 * the detector's findings and the playbook table all speak these words, so they live in core/.
 */
export const SOURCES = ['waf', 'vpcflow', 'ec2', 'cloudtrail', 'lambda', 's3access', 'rds', 'app', 'ecs', 'eks'] as const;
export type SourceName = (typeof SOURCES)[number];

/**
 * What the detector can report. Incident kinds in scenarios are the same words: an incident of kind K is
 * detected by a finding of kind K on an overlapping entity (or by one of FINDING_ALIASES[K]).
 */
export const FINDING_KINDS = [
  // WAF
  'waf-geo-anomaly',
  'waf-credential-stuffing',
  'waf-sqli-scanner',
  'waf-http-flood',
  'waf-bad-bots',
  // VPC Flow Logs
  'vpc-port-scan',
  'vpc-ssh-bruteforce',
  'vpc-exfiltration',
  'vpc-ddos',
  // EC2 host logs
  'ec2-ssh-bruteforce',
  'ec2-disk-full',
  'ec2-oom',
  // CloudTrail
  'cloudtrail-compromised-key',
  'cloudtrail-console-login-failures',
  'cloudtrail-access-denied-storm',
  'cloudtrail-root-usage',
  // Lambda
  'lambda-timeout-storm',
  'lambda-error-spike',
  'lambda-memory-exhaustion',
  // S3 server access logs
  's3-mass-delete',
  's3-403-burst',
  's3-unusual-get-volume',
  // The RDS → app → ECS cascade (../shared/seeds/004)
  'rds-connection-exhaustion',
  'app-db-errors',
  'ecs-task-restarts',
  // EKS: control-plane logs (audit, API server, authenticator, controller manager, scheduler) and container logs
  'eks-crashloop-storm',
  'eks-api-forbidden-burst',
  'eks-exec-secret-access',
  'eks-node-not-ready',
  // Source-agnostic detectors (template miner, Isolation Forest, time-series baselines)
  'log-new-pattern',
  'log-pattern-frequency',
  'metric-anomaly',
  // A low-cardinality field's distribution shifted towards values rare in its baseline (seeds/003's modes)
  'share-shift',
  // Cross-service root cause analysis
  'root-cause',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** The cascade's incident kind: its truth spans rds, app and ecs; it is detected by a root-cause finding. */
export const CASCADE_KIND = 'rds-app-ecs-cascade' as const;
/**
 * seeds/003's anomaly modes on a web ACL: for a while most requests carry a value that is rare in normal traffic
 * (BLOCK, front door `-`, an unknown country, DELETE). Detected by a share-shift finding.
 */
export const WAF_SHARE_SHIFT_KIND = 'waf-share-shift' as const;

type NotAnIncident = 'log-new-pattern' | 'log-pattern-frequency' | 'metric-anomaly' | 'share-shift' | 'root-cause';
export const INCIDENT_KINDS = [...FINDING_KINDS.filter((k) => !['log-new-pattern', 'log-pattern-frequency', 'metric-anomaly', 'share-shift', 'root-cause'].includes(k)), CASCADE_KIND, WAF_SHARE_SHIFT_KIND] as const;
export type IncidentKind = Exclude<FindingKind, NotAnIncident> | typeof CASCADE_KIND | typeof WAF_SHARE_SHIFT_KIND;

/** Entity types a finding or an incident can be about. Values are what the logs show (an IP, an ARN …). */
export const ENTITY_TYPES = [
  'ip', 'principal', 'accessKey', 'instance', 'eni', 'service', 'database', 'function', 'bucket', 'webAcl', 'host', 'country',
  // Kubernetes (EKS): a pod and a workload are named `<namespace>/<name>`, as klog and kubectl write them.
  'cluster', 'namespace', 'pod', 'workload', 'node',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
export type Entities = Partial<Record<EntityType, string>>;

/** Remediation outcomes a scenario can expect, each verified by reading the estate back through the AWS API. */
export const REMEDIATION_OUTCOMES = [
  'waf-ip-blocked',
  'nacl-deny-entry',
  'sg-ingress-revoked',
  'rds-parameter-raised',
  'ecs-service-redeployed',
  'access-key-inactive',
  'lambda-concurrency-throttled',
  's3-versioning-enabled',
  's3-delete-denied',
  'ec2-instance-stopped',
  'ec2-instance-isolated',
  'eks-endpoint-private',
  'eks-nodegroup-scaled',
] as const;
export type RemediationOutcome = (typeof REMEDIATION_OUTCOMES)[number];

/**
 * Failure classes: what kind of trouble a finding is, in words an on-call person acts on. The analyzer
 * (pipeline/analyze) names one per finding; the harness keeps its own map from incident kinds to the classes it
 * expects (harness/evaluate), so the two sides share the words, never the answers.
 */
export const FAILURE_CLASSES = [
  'connection-exhaustion',
  'dependency-unreachable',
  'health-check-failure',
  'out-of-memory',
  'disk-full',
  'throttling',
  'access-denied',
  'credential-compromise',
  'brute-force',
  'scanning',
  'flood',
  'data-exfiltration',
  'mass-deletion',
  'timeout',
  'crash-loop',
  'unknown',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** An operator's verdict on a finding (`firedrill feedback`): was it a real incident? */
export const FEEDBACK_VERDICTS = ['false-positive', 'true-positive'] as const;
export type FeedbackVerdict = (typeof FEEDBACK_VERDICTS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
