/**
 * Autonomous systems and address prefixes (first two octets) per country. Not an exact BGP table: enough
 * that an address, its country and its ASN agree with each other, as enrichment in a real pipeline would.
 */
export interface AsnEntry {
  asn: number;
  name: string;
  country: string;
  /** `a.b` prefixes; generated addresses are `a.b.c.d`. */
  prefixes: readonly string[];
  /** Residential/mobile (eyeball) network or hosting/cloud. */
  kind: 'eyeball' | 'hosting';
}

export const ASNS: readonly AsnEntry[] = [
  // United States
  { asn: 7922, name: 'COMCAST-7922', country: 'US', prefixes: ['73.162', '98.207', '24.60', '76.104', '67.180'], kind: 'eyeball' },
  { asn: 7018, name: 'ATT-INTERNET4', country: 'US', prefixes: ['99.120', '107.77', '108.88', '76.212'], kind: 'eyeball' },
  { asn: 701, name: 'UUNET (Verizon)', country: 'US', prefixes: ['71.178', '96.255', '100.8', '108.45'], kind: 'eyeball' },
  { asn: 20115, name: 'CHARTER-20115', country: 'US', prefixes: ['24.176', '47.150', '66.188', '97.94'], kind: 'eyeball' },
  { asn: 21928, name: 'T-MOBILE-AS21928', country: 'US', prefixes: ['172.56', '172.58', '208.54'], kind: 'eyeball' },
  // United Kingdom
  { asn: 2856, name: 'BT-UK-AS', country: 'GB', prefixes: ['86.128', '81.151', '109.144', '31.48'], kind: 'eyeball' },
  { asn: 5089, name: 'NTL (Virgin Media)', country: 'GB', prefixes: ['82.18', '86.0', '92.232', '94.1'], kind: 'eyeball' },
  { asn: 5607, name: 'BSKYB-BROADBAND-AS', country: 'GB', prefixes: ['2.96', '5.64', '90.192', '94.174'], kind: 'eyeball' },
  // India
  { asn: 55836, name: 'RELIANCEJIO-IN', country: 'IN', prefixes: ['49.36', '49.204', '157.32', '136.232'], kind: 'eyeball' },
  { asn: 24560, name: 'AIRTELBROADBAND-AS-AP', country: 'IN', prefixes: ['122.161', '122.177', '182.64', '106.215'], kind: 'eyeball' },
  // Germany
  { asn: 3320, name: 'DTAG', country: 'DE', prefixes: ['84.150', '91.54', '79.192', '87.160', '93.192'], kind: 'eyeball' },
  { asn: 3209, name: 'VODANET', country: 'DE', prefixes: ['88.64', '92.72', '178.0'], kind: 'eyeball' },
  // Canada
  { asn: 812, name: 'ROGERS-COMMUNICATIONS', country: 'CA', prefixes: ['99.224', '174.112', '24.114'], kind: 'eyeball' },
  { asn: 577, name: 'BACOM (Bell Canada)', country: 'CA', prefixes: ['70.24', '74.12', '142.114'], kind: 'eyeball' },
  // France
  { asn: 3215, name: 'France Telecom - Orange', country: 'FR', prefixes: ['90.0', '86.192', '92.128'], kind: 'eyeball' },
  { asn: 12322, name: 'PROXAD (Free SAS)', country: 'FR', prefixes: ['78.192', '82.64', '88.160'], kind: 'eyeball' },
  // Japan
  { asn: 4713, name: 'OCN NTT Communications', country: 'JP', prefixes: ['114.160', '153.140', '180.0'], kind: 'eyeball' },
  { asn: 2516, name: 'KDDI', country: 'JP', prefixes: ['106.128', '111.86', '27.80'], kind: 'eyeball' },
  // Australia
  { asn: 1221, name: 'ASN-TELSTRA', country: 'AU', prefixes: ['101.160', '120.144', '49.176'], kind: 'eyeball' },
  // Netherlands
  { asn: 1136, name: 'KPN', country: 'NL', prefixes: ['77.160', '86.80', '145.128'], kind: 'eyeball' },
  // Brazil
  { asn: 28573, name: 'Claro NXT', country: 'BR', prefixes: ['177.32', '179.96', '189.100'], kind: 'eyeball' },
  // Spain
  { asn: 3352, name: 'TELEFONICA_DE_ESPANA', country: 'ES', prefixes: ['80.24', '83.32', '88.0'], kind: 'eyeball' },
  // Ireland
  { asn: 5466, name: 'EIRCOM', country: 'IE', prefixes: ['86.40', '79.97', '159.134'], kind: 'eyeball' },
  // Singapore
  { asn: 9506, name: 'SINGTEL-FIBRE', country: 'SG', prefixes: ['116.86', '118.200', '183.90'], kind: 'eyeball' },
  // Internet noise and hosting
  { asn: 4134, name: 'CHINANET-BACKBONE', country: 'CN', prefixes: ['222.186', '61.177', '218.92', '117.50'], kind: 'hosting' },
  { asn: 4837, name: 'CHINA169-BACKBONE', country: 'CN', prefixes: ['123.160', '113.128', '60.217'], kind: 'hosting' },
  { asn: 14061, name: 'DIGITALOCEAN-ASN', country: 'US', prefixes: ['159.203', '167.99', '164.90', '137.184'], kind: 'hosting' },
  { asn: 396982, name: 'GOOGLE-CLOUD-PLATFORM', country: 'US', prefixes: ['34.86', '35.203', '34.140'], kind: 'hosting' },
  { asn: 49505, name: 'SELECTEL', country: 'RU', prefixes: ['45.8', '85.119', '92.53'], kind: 'hosting' },
  { asn: 12389, name: 'ROSTELECOM-AS', country: 'RU', prefixes: ['95.24', '178.140', '213.87'], kind: 'hosting' },
  { asn: 16276, name: 'OVH', country: 'NL', prefixes: ['51.254', '146.59', '54.36'], kind: 'hosting' },
  { asn: 24940, name: 'HETZNER-AS', country: 'DE', prefixes: ['78.46', '88.99', '116.202', '168.119'], kind: 'hosting' },
  { asn: 7552, name: 'VIETEL-AS-AP', country: 'VN', prefixes: ['14.160', '27.64', '171.224'], kind: 'hosting' },
  { asn: 262287, name: 'Latitude.sh', country: 'BR', prefixes: ['187.45', '200.25'], kind: 'hosting' },
  { asn: 45102, name: 'ALIBABA-CN-NET', country: 'SG', prefixes: ['47.74', '8.219', '47.236'], kind: 'hosting' },
  { asn: 9293, name: 'HKTIMS-AP', country: 'HK', prefixes: ['103.152', '119.236'], kind: 'hosting' },
  { asn: 3462, name: 'HINET', country: 'TW', prefixes: ['114.32', '118.163', '220.132'], kind: 'hosting' },
  // Countries a geo anomaly comes from (never in the normal pool)
  { asn: 131279, name: 'STAR-KP', country: 'KP', prefixes: ['175.45'], kind: 'eyeball' },
  { asn: 58224, name: 'TCI', country: 'IR', prefixes: ['5.112', '2.176', '91.98'], kind: 'eyeball' },
  { asn: 29256, name: 'INT-PDN-STE-AS', country: 'SY', prefixes: ['5.0', '31.9'], kind: 'eyeball' },
  { asn: 6697, name: 'BELPAK-AS', country: 'BY', prefixes: ['37.212', '93.84', '178.120'], kind: 'eyeball' },
  { asn: 8048, name: 'CANTV Servicios', country: 'VE', prefixes: ['186.88', '190.36', '201.208'], kind: 'eyeball' },
  { asn: 29465, name: 'VCG-AS (MTN Nigeria)', country: 'NG', prefixes: ['102.89', '105.112', '197.210'], kind: 'eyeball' },
  { asn: 17557, name: 'PKTELECOM-AS-PK', country: 'PK', prefixes: ['39.32', '111.119', '182.176'], kind: 'eyeball' },
  { asn: 9198, name: 'KAZTELECOM-AS', country: 'KZ', prefixes: ['2.132', '37.150', '95.56'], kind: 'eyeball' },
  { asn: 9988, name: 'MPT-AS-AP', country: 'MM', prefixes: ['37.111', '103.25'], kind: 'eyeball' },
  // Unknown geolocation (WAF logs country "-"): unallocated-looking space of a small transit network
  { asn: 0, name: 'UNKNOWN', country: '-', prefixes: ['196.251', '102.165'], kind: 'hosting' },
];

/** AWS's own public ranges, for the estate's outbound identity and callers such as CI runners. */
export const AWS_PUBLIC_PREFIXES: readonly string[] = ['3.80', '3.208', '18.204', '34.192', '44.192', '52.20', '54.80', '54.144'];
