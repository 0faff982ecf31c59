/** Static lists of the VPC Flow Logs generator, apart from its logic. */

/** Ports internet-wide scanners knock on (what background REJECTs show). */
export const NOISE_PORTS: readonly number[] = [22, 23, 80, 443, 445, 1433, 2375, 3306, 3389, 5432, 5900, 6379, 8080, 8443, 9200, 11211, 27017, 8088, 7547, 5555];
export const NOISE_PORT_WEIGHTS: readonly number[] = [14, 10, 4, 3, 9, 5, 3, 5, 9, 3, 4, 4, 5, 2, 3, 1, 2, 2, 3, 2];

/** Ports a port scan sweeps after the well-known range. */
export const SCAN_EXTRA_PORTS: readonly number[] = [1433, 1521, 2049, 2375, 3306, 3389, 5432, 5900, 6379, 8000, 8080, 8443, 8888, 9000, 9200, 11211, 27017];

/** IANA protocol numbers used here. */
export const PROTO = { ICMP: 1, TCP: 6, UDP: 17 } as const;

/** tcp-flags as flow logs report them: the OR of FIN 1, SYN 2, RST 4 and SYN-ACK 18 seen in the window. */
export const TCP_FLAGS = { NONE: 0, FIN: 1, SYN: 2, RST: 4, SYN_FIN: 3, SYNACK: 18, SYNACK_FIN: 19 } as const;

/** Short AZ ids per region, for the az-id field (us-east-1a is not the same AZ id in every account; fixed here). */
export const REGION_AZ_PREFIX: Readonly<Record<string, string>> = {
  'us-east-1': 'use1', 'us-east-2': 'use2', 'us-west-1': 'usw1', 'us-west-2': 'usw2', 'eu-west-1': 'euw1', 'eu-west-2': 'euw2',
  'eu-central-1': 'euc1', 'ap-southeast-1': 'apse1', 'ap-southeast-2': 'apse2', 'ap-northeast-1': 'apne1', 'ap-south-1': 'aps1',
};

/** Addresses exfiltration goes to: hosting networks the estate has never talked to. */
export const EXFIL_COUNTRIES: readonly string[] = ['RU', 'NL', 'VN', 'HK', 'CN'];
