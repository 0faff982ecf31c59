import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_VPC_FORMAT, normalizeVpcFlow, parseVpcFlow, serializeVpcFlow, vpcFlowFormat, VPC_FIELDS } from './vpcflow.ts';

/** Records from the VPC user guide's "Flow log record examples" page, with the format each was written in. */
const AWS_EXAMPLES: { format?: string; line: string }[] = [
  { line: '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK' },
  { line: '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK' },
  { line: '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA' },
  { line: '2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA' },
  {
    format: 'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status',
    line: '3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK',
  },
  { format: 'instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr', line: '- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5' },
  {
    format: 'version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status',
    line: '3 eni-33333333333333333 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb i-01234567890123456 10.20.33.164 10.40.2.236 39812 80 6 3 IPv4 10.20.33.164 10.40.2.236 ACCEPT OK',
  },
  {
    format: 'version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status',
    line: '5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK',
  },
];

describe('VPC flow log format', () => {
  it('parses every AWS-documented example and serializes it back byte for byte', () => {
    for (const ex of AWS_EXAMPLES) {
      const f = ex.format ? vpcFlowFormat(ex.format) : DEFAULT_VPC_FORMAT;
      const rec = f.parse(ex.line);
      expect(f.serialize(rec)).toBe(ex.line);
    }
    const first = parseVpcFlow(AWS_EXAMPLES[0]!.line);
    expect(first).toMatchObject({ version: 2, accountId: '123456789010', srcport: 20641, dstport: 22, protocol: 6, packets: 20, bytes: 4249, start: 1418530010, action: 'ACCEPT', logStatus: 'OK' });
    const nodata = parseVpcFlow(AWS_EXAMPLES[2]!.line);
    expect(nodata.srcaddr).toBeNull();
    expect(nodata.logStatus).toBe('NODATA');
  });
  it('computes the version of a custom format from its fields', () => {
    expect(vpcFlowFormat(['srcaddr', 'dstaddr']).version).toBe(2);
    expect(vpcFlowFormat(['srcaddr', 'tcp-flags']).version).toBe(3);
    expect(vpcFlowFormat('${srcaddr} ${az-id}').version).toBe(4);
    expect(vpcFlowFormat(['flow-direction']).version).toBe(5);
    expect(vpcFlowFormat(['srcaddr', 'dstaddr']).formatString).toBe('${srcaddr} ${dstaddr}');
  });
  it('rejects malformed lines with expected/seen', () => {
    expect(() => parseVpcFlow('2 123 eni-1 1.2.3.4')).toThrow(/expected: 14 space-separated fields/);
    expect(() => parseVpcFlow('2 123456789010 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 40 1418530010000 1418530070000 ACCEPT OK')).toThrow(/Unix seconds/);
    expect(() => parseVpcFlow('2 123456789010 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 40 1418530010 1418530070 ALLOW OK')).toThrow(/ACCEPT \| REJECT/);
    expect(() => parseVpcFlow('2 123456789010 eni-1 1.1.1.1 2.2.2.2 x 2 6 1 40 1418530010 1418530070 ACCEPT OK')).toThrow(/srcport is not a number/);
    expect(() => vpcFlowFormat(['srcaddr', 'bogus'])).toThrow(/unknown field/);
  });
  it('normalizes to camelCase fields with eni/ip/instance entities and time in ms', () => {
    const f = vpcFlowFormat(AWS_EXAMPLES[4]!.format!);
    const n = normalizeVpcFlow(f.parse(AWS_EXAMPLES[4]!.line));
    expect(n.time).toBe(1566848875000);
    expect(n.entities).toEqual({ eni: 'eni-1235b8ca123456789', ip: '52.213.180.42', instance: 'i-01234567890123456' });
    expect(n.fields).toMatchObject({ tcpFlags: 2, pktSrcaddr: '52.213.180.42', logStatus: 'OK', vpcId: 'vpc-abcdefab012345678' });
  });
  it('round-trips any record in any custom format', () => {
    const names = VPC_FIELDS.map((f) => f[0]);
    fc.assert(
      fc.property(fc.shuffledSubarray(names, { minLength: 1 }), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 1_500_000_000, max: 1_900_000_000 }), (fields, n, start) => {
        const f = vpcFlowFormat(fields);
        const rec: Record<string, string | number | null> = {};
        for (const name of fields) {
          const key = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
          const kind = VPC_FIELDS.find((x) => x[0] === name)![2];
          rec[key] = name === 'action' ? 'REJECT' : name === 'log-status' ? 'OK' : name === 'start' || name === 'end' ? start : kind === 'int' ? n : n % 3 === 0 ? null : `v${n}`;
        }
        const line = f.serialize(rec);
        expect(f.serialize(f.parse(line))).toBe(line);
      }),
    );
  });
  it('writes the default format with the same text as the generic serializer', () => {
    const rec = parseVpcFlow(AWS_EXAMPLES[0]!.line);
    expect(serializeVpcFlow(rec)).toBe(vpcFlowFormat([...DEFAULT_VPC_FORMAT.fields, 'vpc-id']).serialize(rec).replace(/ -$/, '').replace(/^3/, '2'));
  });
});
