import type { Rng } from '../../core/index.ts';
import { arrivals } from '../common/rate/index.ts';
import { EventQueue } from '../lambda/event-queue.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent } from '../types.ts';
import { CRON_JOBS, LOGIN_USERS, SCANNER_USERNAMES, SSM_AGENT_LINES, SYSTEMD_TIMER_UNITS } from './data.ts';
import { ec2Hosts, hostLine, keyFingerprint, takePid, type Ec2Host } from './host-model.ts';

/** Who logs in over SSH, with a key and habits that do not change between runs of the same seed. */
interface Operator {
  osUser: string;
  ips: readonly string[];
  keyType: 'RSA' | 'ED25519';
  fingerprint: string;
  /** Machines (CI) log in for seconds; people stay for minutes. */
  machine: boolean;
}

function operators(rng: Rng, pools: EntityPools): Operator[] {
  return pools.users
    .filter((u) => u.iamUser)
    .map((u) => {
      const r = rng.fork(`operator/${u.userName}`);
      const machine = /deploy|ci|etl|batch/.test(u.userName);
      return { osUser: machine ? 'ec2-user' : r.pick(LOGIN_USERS), ips: u.homeIps, keyType: r.chance(0.5) ? 'RSA' : 'ED25519', fingerprint: keyFingerprint(r), machine };
    });
}

const ACTIVITIES = ['session', 'noise-invalid', 'noise-root', 'noise-probe', 'cron', 'timer', 'ssm', 'dhcp'] as const;
type Activity = (typeof ACTIVITIES)[number];
const WEIGHTS = [4, 5, 3, 2, 8, 6, 10, 2];

interface Ctx {
  rng: Rng;
  hosts: Ec2Host[];
  bastion: Ec2Host | undefined;
  web: Ec2Host[];
  ops: Operator[];
  noise: readonly string[];
  q: EventQueue;
  /** Gateway of each subnet (.1): where dhclient renews its lease. */
  logindPid: Map<string, number>;
}

function session(c: Ctx, t: number): void {
  const { rng } = c;
  const op = rng.pick(c.ops);
  // People reach the bastion from home, then hop to a web host from the bastion; CI goes straight to the web hosts.
  let host: Ec2Host, ip: string;
  if (!op.machine && c.bastion && (c.web.length === 0 || rng.chance(0.6))) {
    host = c.bastion;
    ip = rng.pick(op.ips);
  } else {
    host = rng.pick(c.web.length > 0 ? c.web : c.hosts);
    ip = !op.machine && c.bastion ? c.bastion.privateIp : rng.pick(op.ips);
  }
  const pid = takePid(host, rng, 40);
  const n = host.nextSession++;
  const port = rng.int(32768, 60999);
  const logind = c.logindPid.get(host.instanceId)!;
  const u = op.osUser;
  let at = t;
  c.q.push(hostLine(host, 'secure', at, 'sshd', pid, `Accepted publickey for ${u} from ${ip} port ${port} ssh2: ${op.keyType} SHA256:${op.fingerprint}`));
  at += rng.int(5, 40);
  c.q.push(hostLine(host, 'messages', at, 'systemd', 1, `Started Session ${n} of user ${u}.`));
  c.q.push(hostLine(host, 'messages', at, 'systemd-logind', logind, `New session ${n} of user ${u}.`));
  c.q.push(hostLine(host, 'secure', at + 2, 'sshd', pid, `pam_unix(sshd:session): session opened for user ${u} by (uid=0)`));
  const durMs = op.machine ? Math.round(rng.logNormal(9.5, 0.6)) : Math.round(rng.logNormal(13, 0.9));
  if (!op.machine && rng.chance(0.35)) {
    const st = at + Math.round(durMs * rng.next());
    const cmd = rng.pick(['/bin/systemctl status checkout-web', '/bin/journalctl -u checkout-web --since today', '/bin/tail -n 200 /var/log/messages', '/bin/yum check-update', '/bin/df -h']);
    c.q.push(hostLine(host, 'secure', st, 'sudo', null, `${u} : TTY=pts/0 ; PWD=/home/${u} ; USER=root ; COMMAND=${cmd}`));
    c.q.push(hostLine(host, 'secure', st + 3, 'sudo', null, `pam_unix(sudo:session): session opened for user root by ${u}(uid=0)`));
    c.q.push(hostLine(host, 'secure', st + 350 + rng.int(0, 4000), 'sudo', null, 'pam_unix(sudo:session): session closed for user root'));
  }
  const end = at + durMs;
  c.q.push(hostLine(host, 'secure', end, 'sshd', pid + 1, `Received disconnect from ${ip} port ${port}:11: disconnected by user`));
  c.q.push(hostLine(host, 'secure', end, 'sshd', pid + 1, `Disconnected from ${ip} port ${port}`));
  c.q.push(hostLine(host, 'secure', end + 4, 'sshd', pid, `pam_unix(sshd:session): session closed for user ${u}`));
  c.q.push(hostLine(host, 'messages', end + 9, 'systemd-logind', logind, `Removed session ${n}.`));
}

function noise(c: Ctx, t: number, kind: 'noise-invalid' | 'noise-root' | 'noise-probe'): void {
  const { rng } = c;
  if (c.noise.length === 0) return;
  const host = rng.pick(c.hosts);
  const ip = rng.pick(c.noise);
  const pid = takePid(host, rng);
  const port = rng.int(1024, 65535);
  let at = t;
  const line = (msg: string, gap = 1) => c.q.push(hostLine(host, 'secure', (at += gap), 'sshd', pid, msg));
  if (kind === 'noise-probe') {
    if (rng.chance(0.5)) line(`Connection closed by ${ip} port ${port} [preauth]`, 0);
    else line(`Did not receive identification string from ${ip} port ${port}`, 0);
    return;
  }
  if (kind === 'noise-invalid') {
    const user = rng.pick(SCANNER_USERNAMES);
    line(`Invalid user ${user} from ${ip} port ${port}`, 0);
    line(`input_userauth_request: invalid user ${user} [preauth]`);
    line('pam_unix(sshd:auth): check pass; user unknown', rng.int(50, 300));
    line(`pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`);
    line(`Failed password for invalid user ${user} from ${ip} port ${port} ssh2`, rng.int(1500, 2500));
  } else {
    line(`pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=root`, 0);
    line(`Failed password for root from ${ip} port ${port} ssh2`, rng.int(1500, 2500));
  }
  line(`Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`, rng.int(100, 400));
  // OpenSSH 7.4 (Amazon Linux 2) does not name the user in preauth disconnects.
  line(`Disconnected from ${ip} port ${port} [preauth]`, 0);
}

function messagesActivity(c: Ctx, t: number, kind: 'cron' | 'timer' | 'ssm' | 'dhcp'): void {
  const { rng } = c;
  const host = rng.pick(c.hosts);
  switch (kind) {
    case 'cron': {
      const job = rng.pick(CRON_JOBS);
      c.q.push(hostLine(host, 'messages', t, 'CROND', takePid(host, rng, 5), `(${job.user}) CMD (${job.cmd})`));
      return;
    }
    case 'timer': {
      const unit = rng.pick(SYSTEMD_TIMER_UNITS);
      c.q.push(hostLine(host, 'messages', t, 'systemd', 1, `Starting ${unit}...`));
      c.q.push(hostLine(host, 'messages', t + rng.int(20, 900), 'systemd', 1, `Started ${unit}.`));
      return;
    }
    case 'ssm':
      c.q.push(hostLine(host, 'messages', t, 'amazon-ssm-agent', 2874 + (host.nextSession % 7), rng.pick(SSM_AGENT_LINES)));
      return;
    case 'dhcp': {
      const gw = host.privateIp.replace(/\.\d+$/, '.1');
      const xid = `0x${rng.hex(8)}`;
      const pid = 2700 + (host.nextSession % 50);
      c.q.push(hostLine(host, 'messages', t, 'dhclient', pid, `DHCPREQUEST on eth0 to ${gw} port 67 (xid=${xid})`));
      c.q.push(hostLine(host, 'messages', t + 2, 'dhclient', pid, `DHCPACK from ${gw} (xid=${xid})`));
      c.q.push(hostLine(host, 'messages', t + 5, 'dhclient', pid, `bound to ${host.privateIp} -- renewal in ${rng.int(1500, 1800)} seconds.`));
      return;
    }
  }
}

/**
 * EC2 host logs of every instance: operators' key-based SSH sessions (people to the bastion from home, then
 * on to the web hosts; CI straight to the web hosts), the low hum of internet SSH scanners, cron, systemd
 * timers, the SSM agent and DHCP renewals. `req.rate` counts activities; each writes one to eight lines.
 */
export const ec2Background: BackgroundGenerator = {
  source: 'ec2',
  *generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<GeneratedEvent> {
    const hosts = ec2Hosts(rng.fork('hosts'), pools);
    if (hosts.length === 0) return;
    const bastion = hosts.find((h) => h.bastion);
    const c: Ctx = {
      rng: rng.fork('content'),
      hosts,
      bastion,
      web: hosts.filter((h) => !h.bastion),
      ops: operators(rng.fork('operators'), pools),
      noise: pools.internetNoise,
      q: new EventQueue(),
      logindPid: new Map(hosts.map((h, i) => [h.instanceId, 600 + i * 13])),
    };
    if (c.ops.length === 0) c.ops.push({ osUser: 'ec2-user', ips: [hosts[0]!.privateIp], keyType: 'RSA', fingerprint: keyFingerprint(rng.fork('fallback-key')), machine: true });
    for (const t of arrivals(rng.fork('arrivals'), req.rate, req.window)) {
      yield* c.q.releaseUntil(t);
      const kind: Activity = c.rng.weighted(ACTIVITIES, WEIGHTS);
      if (kind === 'session') session(c, t);
      else if (kind === 'noise-invalid' || kind === 'noise-root' || kind === 'noise-probe') noise(c, t, kind);
      else messagesActivity(c, t, kind);
    }
    yield* c.q.drain(req.window.end);
  },
};
