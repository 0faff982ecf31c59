/**
 * Where normal web clients come from (ISO 3166-1 alpha-2, as WAF logs them) and roughly how much,
 * shaped like a US-hosted consumer web app's traffic. Weights need not sum to 100.
 */
export const NORMAL_CLIENT_COUNTRIES: readonly { country: string; weight: number }[] = [
  { country: 'US', weight: 42 },
  { country: 'GB', weight: 12 },
  { country: 'IN', weight: 10 },
  { country: 'DE', weight: 8 },
  { country: 'CA', weight: 6 },
  { country: 'FR', weight: 4 },
  { country: 'JP', weight: 3 },
  { country: 'AU', weight: 3 },
  { country: 'NL', weight: 3 },
  { country: 'BR', weight: 3 },
  { country: 'ES', weight: 2 },
  { country: 'IE', weight: 2 },
  { country: 'SG', weight: 2 },
];

/**
 * Countries that never appear in the normal client pool: a geo anomaly draws from here so it is anomalous
 * against the learned baseline, not merely rare. `-` is what WAF logs when it cannot geolocate an address.
 */
export const ANOMALOUS_COUNTRIES: readonly string[] = ['KP', 'IR', 'SY', 'BY', 'VE', 'NG', 'PK', 'KZ', 'MM', '-'];

/** Where internet background noise (scanners, crawlers of the whole IPv4 space) comes from. */
export const NOISE_COUNTRIES: readonly { country: string; weight: number }[] = [
  { country: 'CN', weight: 25 },
  { country: 'US', weight: 20 },
  { country: 'RU', weight: 12 },
  { country: 'NL', weight: 10 },
  { country: 'DE', weight: 8 },
  { country: 'VN', weight: 6 },
  { country: 'BR', weight: 6 },
  { country: 'SG', weight: 5 },
  { country: 'HK', weight: 4 },
  { country: 'TW', weight: 4 },
];
