import type { Rng } from '../../core/index.ts';
import type { BackgroundGenerator, BackgroundRequest, EntityPools, GeneratedEvent } from '../types.ts';
import { ArrivalCursor } from '../common/rate/arrivals.ts';
import { AliasSampler, LogNormalTable } from '../common/sampler.ts';
import { fastRng } from '../common/fast-rng.ts';
import { asciiBytes, ByteChunk } from '../common/byte-chunk.ts';
import { NOISE_PORT_WEIGHTS, NOISE_PORTS, PROTO, TCP_FLAGS } from './data.ts';
import { FlowWriter, flowOptions, vpcContext, type Eni, type VpcContext } from './model.ts';

// Module-scope copies: an imported object's property read per line shows up in profiles.
const TCP = PROTO.TCP, UDP = PROTO.UDP, ICMP = PROTO.ICMP;
const F_NONE = TCP_FLAGS.NONE, F_SYN = TCP_FLAGS.SYN, F_SYN_FIN = TCP_FLAGS.SYN_FIN, F_SYNACK_FIN = TCP_FLAGS.SYNACK_FIN;

/** Flow classes of normal traffic. Numbers, not strings: the switch below runs millions of times a second. */
const C = {
  CLIENT_HTTPS: 0, // internet client → web:443 (north-south)
  ALB_HTTP: 1, // load balancer node → web:80 (north-south, proxied)
  RDS: 2, // web → database:5432 (east-west, pooled, long-lived)
  EGRESS: 3, // host → its usual external services:443
  NTP: 4, // host → public NTP (UDP 123)
  PEER: 5, // web → other web:8080 (east-west)
  NOISE: 6, // internet scanner → any port, REJECTed
  ICMP: 7, // internet ping sweep, REJECTed
  ADMIN_SSH: 8, // admin's home address → bastion:22
  BASTION_SSH: 9, // bastion → web:22
  NOISE_SSH: 10, // scanner → bastion:22 (open port: a short ACCEPTed banner grab)
} as const;

const WEB_MIX: readonly [number, number][] = [
  [C.CLIENT_HTTPS, 10], [C.ALB_HTTP, 30], [C.RDS, 14], [C.EGRESS, 5], [C.NTP, 0.5], [C.PEER, 3], [C.NOISE, 6], [C.ICMP, 1],
];
const BASTION_MIX: readonly [number, number][] = [
  [C.ADMIN_SSH, 10], [C.BASTION_SSH, 6], [C.EGRESS, 3], [C.NTP, 1], [C.NOISE, 25], [C.NOISE_SSH, 6], [C.ICMP, 2],
];

/** Byte-count distributions per flow class (log-normal: median e^mu, spread sigma), tabulated once. */
const T = {
  clientReq: new LogNormalTable(Math.exp(7.5), 0.9),
  clientResp: new LogNormalTable(25000, 1.4),
  albReq: new LogNormalTable(Math.exp(7.8), 1.0),
  albResp: new LogNormalTable(40000, 1.3),
  rds: new LogNormalTable(Math.exp(8.7), 1.2),
  egress: new LogNormalTable(Math.exp(9.0), 1.5),
  egressResp: new LogNormalTable(60000, 1.4),
  peer: new LogNormalTable(Math.exp(8.0), 1.0),
  adminSsh: new LogNormalTable(Math.exp(10.5), 1.5),
  adminSshResp: new LogNormalTable(200000, 1.2),
  bastionSsh: new LogNormalTable(Math.exp(9.9), 1.2),
};

/** `<ip> ` as bytes: the text FlowWriter.lineInto copies for an address. */
const addr = (ip: string): Uint8Array => asciiBytes(`${ip} `);

/** Lines per batch of next(): a few KiB of text, decoded in one call. */
const BATCH = 128;

interface EniState {
  eni: Eni;
  classes: number[];
  sampler: AliasSampler;
  /** `<ip> ` of the interface and of its external services, as bytes (see `addr` below). */
  ipB: Uint8Array;
  externalsB: Uint8Array[];
  /** The NTP server this interface syncs with. */
  ntpIp: string;
  ntpB: Uint8Array;
}

/**
 * Normal flow records of every interface, as a pull cursor (`next()` → line or undefined). A connection
 * is logged in both directions, as AWS does: the reverse record comes out at the next arrival, so the
 * stream keeps its rate and stays in time order. `eni` and `time` describe the line just returned.
 */
export class BackgroundFlows {
  eni!: Eni;
  time = 0;
  private readonly ctx: VpcContext;
  private readonly w: FlowWriter;
  private readonly arrivals: ArrivalCursor;
  private readonly r: Rng;
  private readonly states: EniState[];
  private readonly eniSampler: AliasSampler;
  private readonly noisePorts: AliasSampler;
  private readonly noise: readonly string[];
  // Every address the background uses, as `<ip> ` bytes, index for index with the lists it draws from:
  // the bytes path copies them without a lookup by string.
  private readonly clientsB: Uint8Array[];
  private readonly albB: Uint8Array[];
  private readonly rdsB: Uint8Array;
  private readonly adminB: Uint8Array[];
  private readonly webB: Uint8Array[];
  private readonly noiseB: Uint8Array[];
  // The pending reverse record (scalars, not an object, to avoid churn).
  private pending = false;
  private pEni!: Eni;
  private pSrc = '';
  private pDst = '';
  private pSrcB!: Uint8Array;
  private pDstB!: Uint8Array;
  private pSport = 0;
  private pDport = 0;
  private pPackets = 0;
  private pBytes = 0;
  private pStart = 0;
  private pEnd = 0;
  private pIngress = false;
  // Lines written ahead by next() for the default format: their text, where each ends, eni and time.
  private readonly batch = new ByteChunk(BATCH * 160);
  private batchText = '';
  private readonly batchEnd = new Int32Array(BATCH);
  private readonly batchEni: Eni[] = [];
  private readonly batchTime = new Float64Array(BATCH);
  private count = 0;
  private at = 0;
  private from = 0;
  // The flow just drawn by step(), read by next() and fill().
  private cSrc = '';
  private cDst = '';
  private cSrcB!: Uint8Array;
  private cDstB!: Uint8Array;
  private cSport = 0;
  private cDport = 0;
  private cProto = 0;
  private cPackets = 0;
  private cBytes = 0;
  private cStart = 0;
  private cEnd = 0;
  private cAccept = false;
  private cFlags = 0;
  private cIngress = false;

  constructor(rng: Rng, pools: EntityPools, req: BackgroundRequest) {
    this.ctx = vpcContext(pools);
    this.w = new FlowWriter(this.ctx, flowOptions(req.options));
    this.arrivals = new ArrivalCursor(fastRng(rng.fork('arrivals')), req.rate, req.window);
    this.r = fastRng(rng.fork('content'));
    this.states = this.ctx.enis.map((eni) => {
      const mix = eni.role === 'bastion' ? BASTION_MIX : WEB_MIX;
      const ntpIp = (pools.externalServices.find((s) => s.port === 123) ?? eni.externals[0]!).ip;
      return {
        eni, classes: mix.map((m) => m[0]), sampler: new AliasSampler(mix.map((m) => m[1])),
        ipB: addr(eni.ip), externalsB: eni.externals.map((x) => addr(x.ip)), ntpIp, ntpB: addr(ntpIp),
      };
    });
    this.clientsB = pools.clients.map((c) => addr(c.ip));
    this.albB = this.ctx.albNodes.map(addr);
    this.rdsB = addr(this.ctx.rdsIp);
    this.adminB = this.ctx.adminIps.map(addr);
    this.webB = this.ctx.webEnis.map((e) => addr(e.ip));
    this.eniSampler = new AliasSampler(this.ctx.enis.map((e) => (e.role === 'bastion' ? 0.25 : 1)));
    this.noisePorts = new AliasSampler(NOISE_PORT_WEIGHTS);
    this.noise = pools.internetNoise.length > 0 ? pools.internetNoise : ['198.51.100.7'];
    this.noiseB = this.noise.map(addr);
  }

  /**
   * The next line as a string, or undefined when the window is exhausted. Default-format lines are written
   * BATCH at a time by fill(), decoded once, and handed out as slices of that text (one native decode per
   * batch instead of per line; a slice costs no copy); `eni` and `time` of each are kept beside it.
   */
  next(): string | undefined {
    if (this.w.custom) {
      if (!this.step()) return undefined;
      return this.w.line(this.eni, this.cSrc, this.cDst, this.cSport, this.cDport, this.cProto, this.cPackets, this.cBytes, this.cStart, this.cEnd, this.cAccept, this.cFlags, this.cIngress);
    }
    if (this.at === this.count && !this.refill()) return undefined;
    const i = this.at++;
    this.eni = this.batchEni[i]!;
    this.time = this.batchTime[i]!;
    const end = this.batchEnd[i]!;
    const line = this.batchText.slice(this.from, end);
    this.from = end + 1;
    return line;
  }

  private refill(): boolean {
    const out = this.batch;
    const w = this.w;
    out.reset();
    let n = 0;
    while (n < BATCH && this.step()) {
      w.lineInto(out, this.eni, this.cSrc, this.cDst, this.cSport, this.cDport, this.cProto, this.cPackets, this.cBytes, this.cStart, this.cEnd, this.cAccept, this.cFlags, this.cIngress, this.cSrcB, this.cDstB);
      this.batchEnd[n] = out.pos - 1;
      this.batchEni[n] = this.eni;
      this.batchTime[n] = this.time;
      n++;
    }
    this.count = n;
    this.at = 0;
    this.from = 0;
    // ASCII only (default format), so Latin-1 decoding is exact.
    this.batchText = n > 0 ? out.latin1(0, out.pos) : '';
    return n > 0;
  }

  /**
   * Appends whole lines (each ending in a newline) to `out` until it holds at least `untilBytes` bytes or
   * `maxLines` were written; returns the number of lines written (0 when the window is exhausted). The
   * same draws as `next()`, so the bytes are exactly the lines `next()` would have returned.
   */
  fill(out: ByteChunk, untilBytes: number, maxLines = Infinity): number {
    const w = this.w;
    let n = 0;
    while (n < maxLines && out.pos < untilBytes && this.step()) {
      w.lineInto(out, this.eni, this.cSrc, this.cDst, this.cSport, this.cDport, this.cProto, this.cPackets, this.cBytes, this.cStart, this.cEnd, this.cAccept, this.cFlags, this.cIngress, this.cSrcB, this.cDstB);
      n++;
    }
    return n;
  }

  /** Draws the next flow into the c* fields (and `eni`, `time`); false when the window is exhausted. */
  private step(): boolean {
    const t = this.arrivals.next();
    if (t < 0) return false;
    const start = Math.floor(t / 1000);
    this.time = start * 1000;
    const w = this.w;
    if (this.pending) {
      this.pending = false;
      this.eni = this.pEni;
      // Stamped with its own connection's start (<= this arrival), so the line and the event time agree.
      this.time = this.pStart * 1000;
      // The reverse direction of the previous connection: same window, responder's flags.
      return this.set(this.pEni, this.pSrc, this.pDst, this.pSrcB, this.pDstB, this.pSport, this.pDport, TCP, this.pPackets, this.pBytes, this.pStart, this.pEnd, true, F_SYNACK_FIN, this.pIngress);
    }
    const r = this.r;
    const ctx = this.ctx;
    const st = this.states[this.eniSampler.sample(r)]!;
    const eni = st.eni;
    this.eni = eni;
    const cls = st.classes[st.sampler.sample(r)]!;
    switch (cls) {
      case C.CLIENT_HTTPS: {
        const ci = ctx.clientSampler.sample(r);
        const client = ctx.pools.clients[ci]!.ip;
        const clientB = this.clientsB[ci]!;
        const sport = 32768 + Math.floor(r.next() * 32767);
        const end = w.endOf(start, Math.floor(r.next() * 30));
        const bytes = Math.max(60, Math.round(T.clientReq.sample(r)));
        this.reverse(eni, eni.ip, client, st.ipB, clientB, 443, sport, T.clientResp, 1200, start, end);
        return this.set(eni, client, eni.ip, clientB, st.ipB, sport, 443, TCP, Math.max(1, Math.round(bytes / 400)), bytes, start, end, true, F_SYN_FIN, true);
      }
      case C.ALB_HTTP: {
        const ai = Math.floor(r.next() * ctx.albNodes.length);
        const alb = ctx.albNodes[ai]!;
        const albB = this.albB[ai]!;
        const sport = 32768 + Math.floor(r.next() * 32767);
        // Keep-alive connections from the load balancer usually span the whole window.
        const end = w.endOf(start, r.next() < 0.6 ? -1 : Math.floor(r.next() * 60));
        const bytes = Math.max(60, Math.round(T.albReq.sample(r)));
        this.reverse(eni, eni.ip, alb, st.ipB, albB, 80, sport, T.albResp, 1300, start, end);
        return this.set(eni, alb, eni.ip, albB, st.ipB, sport, 80, TCP, Math.max(1, Math.round(bytes / 500)), bytes, start, end, true, F_NONE, true);
      }
      case C.RDS: {
        const sport = 32768 + Math.floor(r.next() * 32767);
        const end = w.endOf(start, -1);
        const bytes = Math.max(60, Math.round(T.rds.sample(r)));
        return this.set(eni, eni.ip, ctx.rdsIp, st.ipB, this.rdsB, sport, 5432, TCP, Math.max(1, Math.round(bytes / 300)), bytes, start, end, true, F_NONE, false);
      }
      case C.EGRESS: {
        const si = Math.floor(r.next() * eni.externals.length);
        const svc = eni.externals[si]!;
        const svcB = st.externalsB[si]!;
        const sport = 32768 + Math.floor(r.next() * 32767);
        if (svc.port === 123) {
          return this.set(eni, eni.ip, svc.ip, st.ipB, svcB, 123, 123, UDP, 1, 76, start, start, true, 0, false);
        }
        const end = w.endOf(start, Math.floor(r.next() * 5));
        const bytes = Math.max(60, Math.round(T.egress.sample(r)));
        this.reverse(eni, svc.ip, eni.ip, svcB, st.ipB, svc.port, sport, T.egressResp, 1400, start, end);
        return this.set(eni, eni.ip, svc.ip, st.ipB, svcB, sport, svc.port, TCP, Math.max(1, Math.round(bytes / 700)), bytes, start, end, true, F_SYN_FIN, false);
      }
      case C.NTP: {
        return this.set(eni, eni.ip, st.ntpIp, st.ipB, st.ntpB, 123, 123, UDP, 1, 76, start, start, true, 0, false);
      }
      case C.PEER: {
        const peers = ctx.webEnis;
        const pi = Math.floor(r.next() * peers.length);
        const peer = peers[pi]!;
        const sport = 32768 + Math.floor(r.next() * 32767);
        const end = w.endOf(start, Math.floor(r.next() * 10));
        const bytes = Math.max(60, Math.round(T.peer.sample(r)));
        const toSelf = peer.ip === eni.ip;
        return this.set(eni, eni.ip, toSelf ? ctx.rdsIp : peer.ip, st.ipB, toSelf ? this.rdsB : this.webB[pi]!, sport, 8080, TCP, Math.max(1, Math.round(bytes / 400)), bytes, start, end, true, F_SYN_FIN, false);
      }
      case C.NOISE: {
        const ni = Math.floor(r.next() * this.noise.length);
        const src = this.noise[ni]!;
        const srcB = this.noiseB[ni]!;
        let dport = NOISE_PORTS[this.noisePorts.sample(r)]!;
        if (dport === 22 && eni.role === 'bastion') dport = 2222;
        const packets = 1 + (r.next() < 0.3 ? 1 : 0);
        return this.set(eni, src, eni.ip, srcB, st.ipB, 1024 + Math.floor(r.next() * 64511), dport, TCP, packets, packets * 40, start, start, false, F_SYN, true);
      }
      case C.ICMP: {
        const ni = Math.floor(r.next() * this.noise.length);
        const src = this.noise[ni]!;
        const srcB = this.noiseB[ni]!;
        return this.set(eni, src, eni.ip, srcB, st.ipB, 0, 0, ICMP, 1, 84, start, start, false, 0, true);
      }
      case C.ADMIN_SSH: {
        const adi = Math.floor(r.next() * ctx.adminIps.length);
        const admin = ctx.adminIps[adi]!;
        const adminB = this.adminB[adi]!;
        const sport = 32768 + Math.floor(r.next() * 32767);
        const end = w.endOf(start, r.next() < 0.5 ? -1 : Math.floor(r.next() * 300));
        const bytes = Math.max(200, Math.round(T.adminSsh.sample(r)));
        this.reverse(eni, eni.ip, admin, st.ipB, adminB, 22, sport, T.adminSshResp, 600, start, end);
        return this.set(eni, admin, eni.ip, adminB, st.ipB, sport, 22, TCP, Math.max(4, Math.round(bytes / 150)), bytes, start, end, true, F_SYN_FIN, true);
      }
      case C.BASTION_SSH: {
        const ti = Math.floor(r.next() * ctx.webEnis.length);
        const target = ctx.webEnis[ti]!;
        const sport = 32768 + Math.floor(r.next() * 32767);
        const end = w.endOf(start, Math.floor(r.next() * 600));
        const bytes = Math.max(200, Math.round(T.bastionSsh.sample(r)));
        return this.set(eni, eni.ip, target.ip, st.ipB, this.webB[ti]!, sport, 22, TCP, Math.max(4, Math.round(bytes / 200)), bytes, start, end, true, F_SYN_FIN, false);
      }
      default: {
        // NOISE_SSH: a scanner grabs the SSH banner and leaves.
        const ni = Math.floor(r.next() * this.noise.length);
        const src = this.noise[ni]!;
        const srcB = this.noiseB[ni]!;
        const packets = 3 + Math.floor(r.next() * 8);
        return this.set(eni, src, eni.ip, srcB, st.ipB, 1024 + Math.floor(r.next() * 64511), 22, TCP, packets, packets * 60 + Math.floor(r.next() * 400), start, start + Math.floor(r.next() * 3), true, F_SYN_FIN, true);
      }
    }
  }

  private set(
    eni: Eni, src: string, dst: string, srcB: Uint8Array, dstB: Uint8Array, sport: number, dport: number, proto: number, packets: number,
    bytes: number, start: number, end: number, accept: boolean, flags: number, ingress: boolean,
  ): true {
    this.eni = eni;
    this.cSrc = src;
    this.cDst = dst;
    this.cSrcB = srcB;
    this.cDstB = dstB;
    this.cSport = sport;
    this.cDport = dport;
    this.cProto = proto;
    this.cPackets = packets;
    this.cBytes = bytes;
    this.cStart = start;
    this.cEnd = end;
    this.cAccept = accept;
    this.cFlags = flags;
    this.cIngress = ingress;
    return true;
  }

  /** Queues the responder's record of the connection just logged. */
  private reverse(eni: Eni, src: string, dst: string, srcB: Uint8Array, dstB: Uint8Array, sport: number, dport: number, sizes: LogNormalTable, avgPacket: number, start: number, end: number): void {
    const bytes = Math.max(60, Math.round(sizes.sample(this.r)));
    this.pending = true;
    this.pEni = eni;
    this.pSrc = src;
    this.pDst = dst;
    this.pSrcB = srcB;
    this.pDstB = dstB;
    this.pSport = sport;
    this.pDport = dport;
    this.pPackets = Math.max(1, Math.round(bytes / avgPacket));
    this.pBytes = bytes;
    this.pStart = start;
    this.pEnd = end;
    // The responder's record is ingress when the responder is outside (egress connections).
    this.pIngress = dst === eni.ip;
  }
}

/** Lines only (fast path for the bench and line output). */
export function* vpcFlowBackgroundLines(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<string, void, undefined> {
  const flows = new BackgroundFlows(rng, pools, req);
  for (let line = flows.next(); line !== undefined; line = flows.next()) yield line;
}

/** Normal VPC traffic of every interface; each line goes to the interface's stream `<eni-id>-all`. */
export const vpcFlowBackground: BackgroundGenerator = {
  source: 'vpcflow',
  *generate(rng: Rng, pools: EntityPools, req: BackgroundRequest): Generator<GeneratedEvent, void, undefined> {
    const flows = new BackgroundFlows(rng, pools, req);
    for (let line = flows.next(); line !== undefined; line = flows.next()) {
      yield { time: flows.time, source: 'vpcflow', dest: flows.eni.dest, message: line };
    }
  },
};
