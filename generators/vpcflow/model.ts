import { ConfigError } from '../../core/index.ts';
import type { Rng } from '../../core/index.ts';
import { DEFAULT_VPC_FORMAT, vpcFlowFormat, type VpcFlowFormat, type VpcFlowRecord } from '../../formats/index.ts';
import type { Destination, EntityPools } from '../types.ts';
import { AliasSampler, zipfWeights } from '../common/sampler.ts';
import { asciiBytes, ByteChunk } from '../common/byte-chunk.ts';
import { PROTO, REGION_AZ_PREFIX, TCP_FLAGS } from './data.ts';

/**
 * The estate as the VPC sees it: one network interface per instance with its role, its usual peers and
 * its own subset of external services, plus the flow-log settings. Built once per (pools, options).
 */

export type EniRole = 'web' | 'bastion';

export interface Eni {
  name: string;
  eniId: string;
  instanceId: string;
  ip: string;
  subnetId: string;
  azId: string;
  role: EniRole;
  dest: Destination;
  /** External services this instance talks to (a stable subset: each host has its own habits). */
  externals: { ip: string; port: number }[];
}

export interface FlowOptions {
  /** Field list or `${a} ${b}` format string; default: the 14-field v2 format. */
  format: VpcFlowFormat;
  /** Aggregation interval in seconds: 600 (AWS default) or 60. */
  aggregationSeconds: 60 | 600;
}

export interface VpcContext {
  pools: EntityPools;
  enis: Eni[];
  webEnis: Eni[];
  bastion: Eni;
  albNodes: string[];
  rdsIp: string;
  /** Humans with an IAM user: the only people who SSH into the bastion. */
  adminIps: string[];
  clientSampler: AliasSampler;
  region: string;
  vpcId: string;
  accountId: string;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const contexts = new WeakMap<EntityPools, VpcContext>();

export function vpcContext(pools: EntityPools): VpcContext {
  const hit = contexts.get(pools);
  if (hit) return hit;
  const { estate, topology } = pools;
  const subnetAz = new Map(topology.estate.subnets.map((s) => [estate.subnetIds[s.name], s.az]));
  const azPrefix = REGION_AZ_PREFIX[estate.region] ?? estate.region.replace(/-/g, '').slice(0, 5);
  const group = topology.pipeline.logGroups.find((g) => g.source === 'vpcflow')?.name ?? `/${topology.prefix}/vpc/flow-logs`;
  const enis: Eni[] = estate.instances.map((inst) => {
    const az = subnetAz.get(inst.subnetId) ?? `${estate.region}a`;
    const azIndex = az.charCodeAt(az.length - 1) - 96;
    const h = hash(inst.instanceId);
    const externals = pools.externalServices.filter((_s, i) => ((h >>> i) & 3) !== 0 || i === 0);
    return {
      name: inst.name,
      eniId: inst.eniId,
      instanceId: inst.instanceId,
      ip: inst.privateIp,
      subnetId: inst.subnetId,
      azId: `${azPrefix}-az${azIndex}`,
      role: /bastion/.test(inst.name) ? 'bastion' : 'web',
      dest: Object.freeze({ kind: 'cwl', logGroup: group, logStream: `${inst.eniId}-all` }),
      externals: externals.length > 0 ? externals : pools.externalServices.slice(0, 1),
    };
  });
  const webEnis = enis.filter((e) => e.role === 'web');
  const bastion = enis.find((e) => e.role === 'bastion') ?? enis[enis.length - 1]!;
  // Fixed addresses of the load balancer nodes and the database: facts of the estate, hashed from its ids.
  const subnetBase = (name: string) => (topology.estate.subnets.find((s) => s.name === name)?.cidr ?? '10.0.1.0/24').split('/')[0]!.split('.').slice(0, 3).join('.');
  const publics = topology.estate.subnets.filter((s) => s.name.startsWith('public')).map((s) => s.name);
  const albNodes = (publics.length ? publics : [topology.estate.subnets[0]!.name]).map((n) => `${subnetBase(n)}.${100 + (hash(`${estate.vpcId}/alb/${n}`) % 150)}`);
  const privateSubnet = topology.estate.subnets.find((s) => s.name.startsWith('private'))?.name ?? topology.estate.subnets[0]!.name;
  const rdsIp = `${subnetBase(privateSubnet)}.${20 + (hash(`${estate.rds.endpoint}`) % 200)}`;
  const adminIps = pools.users.filter((u) => u.iamUser && u.habits.some((h) => h.eventName === 'ConsoleLogin')).flatMap((u) => u.homeIps);
  const ctx: VpcContext = {
    pools,
    enis: webEnis.length > 0 ? enis : enis,
    webEnis: webEnis.length > 0 ? webEnis : enis,
    bastion,
    albNodes,
    rdsIp,
    adminIps: adminIps.length > 0 ? adminIps : pools.users.flatMap((u) => u.homeIps).slice(0, 3),
    clientSampler: new AliasSampler(zipfWeights(pools.clients.length, 0.9)),
    region: estate.region,
    vpcId: estate.vpcId,
    accountId: estate.accountId,
  };
  contexts.set(pools, ctx);
  return ctx;
}

/** Validates the generator options a scenario passes (`format`, `aggregationSeconds`). */
export function flowOptions(options: Record<string, unknown> | undefined): FlowOptions {
  const f = options?.['format'];
  let format = DEFAULT_VPC_FORMAT;
  if (f !== undefined) {
    if (typeof f !== 'string' && !(Array.isArray(f) && f.every((x) => typeof x === 'string'))) {
      throw new ConfigError('vpcflow option format', { expected: 'a field list or a "${version} ${account-id} …" string', seen: JSON.stringify(f) });
    }
    format = vpcFlowFormat(f as string | string[]);
  }
  const a = options?.['aggregationSeconds'] ?? 600;
  if (a !== 60 && a !== 600) throw new ConfigError('vpcflow option aggregationSeconds', { expected: '60 or 600 (the intervals AWS offers)', seen: JSON.stringify(a) });
  return { format, aggregationSeconds: a };
}

const addrBytesMap = new Map<string, Uint8Array>();
/** `<address> ` as bytes, memoized: addresses come from bounded pools (the bound guards floods of fresh ones). */
function addrBytes(ip: string): Uint8Array {
  let b = addrBytesMap.get(ip);
  if (b === undefined) {
    b = asciiBytes(`${ip} `);
    if (addrBytesMap.size < 200_000) addrBytesMap.set(ip, b);
  }
  return b;
}
/** end - start never exceeds the 600 s aggregation interval. */
const END_SPAN = 601;
const ACCEPT_OK = asciiBytes(' ACCEPT OK\n');
const REJECT_OK = asciiBytes(' REJECT OK\n');

/**
 * Writes flow lines. The default format is written as bytes from pre-encoded pieces (`lineInto`, the bytes
 * path; `line` reads the same bytes back as a string); custom formats go through the format's serializer
 * with one reusable record, their v3–v5 fields filled consistently with the flow.
 */
export class FlowWriter {
  private readonly rec: VpcFlowRecord;
  /** Per interface: `version account-id interface-id `, the same followed by its address, and its address. */
  private readonly eniBytes = new Map<Eni, { prefix: Uint8Array; prefixIp: Uint8Array; ip: Uint8Array }>();
  private readonly scratch = new ByteChunk(1024);
  private lastStart = -1;
  private startText = '';
  /** `start end ACCEPT OK\n` by end - start (then REJECT at + END_SPAN), for the current start second. */
  private readonly tails: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(2 * END_SPAN).fill(undefined);
  /** True for a custom format (lines through the format's serializer, possibly non-ASCII). */
  readonly custom: boolean;
  private readonly format: VpcFlowFormat;
  private readonly agg: number;
  constructor(private readonly ctx: VpcContext, opts: FlowOptions) {
    this.format = opts.format;
    this.agg = opts.aggregationSeconds;
    this.custom = opts.format !== DEFAULT_VPC_FORMAT;
    this.rec = {
      version: opts.format.version,
      accountId: ctx.accountId,
      logStatus: 'OK',
      vpcId: ctx.vpcId,
      type: 'IPv4',
      region: ctx.region,
      sublocationType: null,
      sublocationId: null,
      pktSrcAwsService: null,
      pktDstAwsService: null,
      ecsClusterArn: null,
      ecsClusterName: null,
      ecsContainerInstanceArn: null,
      ecsContainerInstanceId: null,
      ecsContainerId: null,
      ecsSecondContainerId: null,
      ecsServiceName: null,
      ecsTaskDefinitionArn: null,
      ecsTaskArn: null,
      ecsTaskId: null,
      rejectReason: null,
    };
  }

  /** End of the aggregation window containing `start` (seconds): a record never spans two windows. */
  windowEnd(start: number): number {
    return (Math.floor(start / this.agg) + 1) * this.agg;
  }

  /** Duration capped at the window end; `dur` < 0 means "the whole rest of the window" (long-lived flows). */
  endOf(start: number, dur: number): number {
    const we = this.windowEnd(start) - 1;
    return dur < 0 ? we : Math.min(we, start + dur);
  }

  /**
   * Appends the same text as `line()` plus a newline to `out`. The default format is written from
   * pre-encoded fragments (prefix per interface, address per address) and digits; custom formats go
   * through their serializer. `srcB`/`dstB`, when given, are `<src> `/`<dst> ` as bytes (callers that
   * hold them spare a lookup by string).
   */
  lineInto(
    out: ByteChunk, eni: Eni, src: string, dst: string, sport: number, dport: number, proto: number, packets: number, bytes: number,
    start: number, end: number, accept: boolean, flags: number, ingress: boolean, srcB?: Uint8Array, dstB?: Uint8Array,
  ): void {
    if (this.custom) {
      out.utf8(this.line(eni, src, dst, sport, dport, proto, packets, bytes, start, end, accept, flags, ingress));
      out.reserve(1);
      out.byte(10);
      return;
    }
    let e = this.eniBytes.get(eni);
    if (e === undefined) {
      const prefix = `${this.rec.version} ${this.ctx.accountId} ${eni.eniId} `;
      this.eniBytes.set(eni, (e = { prefix: asciiBytes(prefix), prefixIp: asciiBytes(`${prefix}${eni.ip} `), ip: asciiBytes(`${eni.ip} `) }));
    }
    if (start !== this.lastStart) {
      this.lastStart = start;
      this.startText = `${start} `;
      this.tails.fill(undefined);
    }
    // One side of a flow is nearly always the interface's own address: its bytes come with the interface's,
    // and the line starts with one copy when it is the source.
    const own = src === eni.ip;
    const a = own ? e.prefixIp : (srcB ?? addrBytes(src));
    const b = dst === eni.ip ? e.ip : (dstB ?? addrBytes(dst));
    // `start end ACTION OK\n` in one piece, cached per start second by end - start (below the aggregation
    // interval) and action.
    const d = end - start;
    let tail: Uint8Array | undefined;
    if (d >= 0 && d < END_SPAN) {
      const k = accept ? d : d + END_SPAN;
      tail = this.tails[k];
      if (tail === undefined) tail = this.tails[k] = asciiBytes(`${this.startText}${end}${accept ? ' ACCEPT OK\n' : ' REJECT OK\n'}`);
    }
    // Five numbers of at most 21 characters with their spaces, the rest as reserved here.
    out.reserve(e.prefix.length + a.length + b.length + (tail === undefined ? 64 : tail.length) + 128);
    if (!own) out.put(e.prefix);
    out.put(a);
    out.put(b);
    out.uintSp(sport);
    out.uintSp(dport);
    out.uintSp(proto);
    out.uintSp(packets);
    out.uintSp(bytes);
    if (tail !== undefined) out.put(tail);
    else {
      out.ascii(this.startText);
      out.uint(end);
      out.put(accept ? ACCEPT_OK : REJECT_OK);
    }
  }

  line(
    eni: Eni, src: string, dst: string, sport: number, dport: number, proto: number, packets: number, bytes: number,
    start: number, end: number, accept: boolean, flags: number, ingress: boolean,
  ): string {
    if (!this.custom) {
      // Default format: the bytes lineInto writes (the same text DEFAULT_VPC_FORMAT.serialize writes: a test
      // holds them equal), read back as one flat string. Measured faster than concatenating cached pieces,
      // whose rope every consumer must flatten; and the line and bytes paths cannot drift apart.
      const s = this.scratch;
      s.reset();
      this.lineInto(s, eni, src, dst, sport, dport, proto, packets, bytes, start, end, accept, flags, ingress);
      return s.latin1(0, s.pos - 1);
    }
    const r = this.rec;
    r.interfaceId = eni.eniId;
    r.srcaddr = src;
    r.dstaddr = dst;
    r.srcport = sport;
    r.dstport = dport;
    r.protocol = proto;
    r.packets = packets;
    r.bytes = bytes;
    r.start = start;
    r.end = end;
    r.action = accept ? 'ACCEPT' : 'REJECT';
    r.subnetId = eni.subnetId;
    r.instanceId = eni.instanceId;
    r.tcpFlags = proto === PROTO.TCP ? flags : 0;
    r.pktSrcaddr = src;
    r.pktDstaddr = dst;
    r.azId = eni.azId;
    r.flowDirection = ingress ? 'ingress' : 'egress';
    // traffic-path applies to egress only: 1 inside the VPC, 8 through the internet gateway.
    r.trafficPath = ingress ? null : dst.startsWith('10.') ? 1 : 8;
    return this.format.serialize(r);
  }
}

/** Client ephemeral port (Linux and Windows ranges together). */
export function ephemeral(r: Rng): number {
  return 32768 + Math.floor(r.next() * 32767);
}

/** Heavy-tailed byte count with a packet count consistent with an average packet size. */
export function sizes(r: Rng, medianBytes: number, sigma: number, avgPacket: number): [number, number] {
  const bytes = Math.max(40, Math.round(r.logNormal(Math.log(medianBytes), sigma)));
  return [Math.max(1, Math.round(bytes / avgPacket)), bytes];
}

export { TCP_FLAGS, PROTO };
