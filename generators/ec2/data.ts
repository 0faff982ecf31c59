/**
 * Static value lists of the EC2 host logs (Amazon Linux 2: rsyslog writing /var/log/secure and
 * /var/log/messages, OpenSSH 7.4 with PasswordAuthentication left on). Logic lives in the other files.
 */

/** OS accounts operators log in as. */
export const LOGIN_USERS = ['ec2-user', 'ec2-user', 'ec2-user', 'ssm-user'] as const;

/** Usernames internet SSH scanners try (the low-rate background and the brute-force dictionary). */
export const SCANNER_USERNAMES: readonly string[] = [
  'admin', 'test', 'user', 'ubuntu', 'oracle', 'postgres', 'git', 'ftpuser', 'pi', 'guest', 'support', 'deploy',
  'jenkins', 'hadoop', 'mysql', 'nagios', 'tomcat', 'www', 'ubnt', 'centos', 'dev', 'test1', 'administrator',
  'minecraft', 'steam', 'es', 'elastic', 'kafka', 'redis', 'docker', 'vagrant', 'odoo', 'sonar', 'teamspeak',
];

/** Cron jobs of the image, with the user they run as. */
export const CRON_JOBS: readonly { user: string; cmd: string }[] = [
  { user: 'root', cmd: 'run-parts /etc/cron.hourly' },
  { user: 'root', cmd: '/usr/lib64/sa/sa1 1 1' },
  { user: 'root', cmd: '/usr/bin/certbot renew --quiet' },
  { user: 'ec2-user', cmd: '/home/ec2-user/bin/rotate-uploads.sh' },
];

/** systemd units that start and finish on timers, as `Starting …` / `Started …` pairs. */
export const SYSTEMD_TIMER_UNITS: readonly string[] = [
  'Cleanup of Temporary Directories',
  'Collect system activity accounting',
  'update of the root trust anchor for DNSSEC validation in unbound',
  'Generate a daily summary of process accounting',
  'Rotate log files',
];

/** Messages of the SSM agent's periodic health check. */
export const SSM_AGENT_LINES: readonly string[] = [
  'INFO [HealthCheck] HealthCheck reporting agent health.',
  'INFO [MessageService] [MGSInteractor] send failed reply thread started',
  'INFO [CredentialRefresher] Next credential rotation will be in 29.99 minutes',
];

/** The web service running on the instances (its unit, the process the OOM killer picks, its description). */
export const WEB_SERVICE = { unit: 'checkout-web.service', process: 'gunicorn', description: 'Checkout web (gunicorn)', uid: 1001 } as const;

export const KERNEL_RELEASE = '5.10.210-201.852.amzn2.x86_64';

/** Programs that complain when the root volume is full (all write through syslog). */
export const DISK_FULL_LINES: readonly { program: string; pidBase: number; text: string }[] = [
  { program: 'systemd-journald', pidBase: 412, text: 'Failed to write entry (9 items, 512 bytes), ignoring: No space left on device' },
  { program: 'rsyslogd', pidBase: 1011, text: "file '/var/log/messages': write error - see https://www.rsyslog.com/solving-rsyslog-write-errors/ for help OS error: No space left on device [v8.24.0-57.amzn2.2.0.2 try https://www.rsyslog.com/e/2027 ]" },
  { program: 'postfix/postdrop', pidBase: 0, text: 'warning: mail_queue_enter: create file maildrop/{hex}.{pid}: No space left on device' },
  { program: 'gunicorn', pidBase: 0, text: "[ERROR] Error handling request /api/uploads: [Errno 28] No space left on device: '/var/app/uploads/tmp/{hex}'" },
  { program: 'dockerd', pidBase: 3270, text: 'time="{iso}" level=error msg="Handler for POST /v1.41/containers/create returned error: write /var/lib/docker/tmp/GetImageBlob{num}: no space left on device"' },
  { program: 'logrotate', pidBase: 0, text: 'error: error creating output file /var/log/nginx/access.log-{date}: No space left on device' },
];
