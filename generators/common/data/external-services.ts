/**
 * External endpoints an estate talks to every day (package mirrors, SaaS APIs, AWS public endpoints,
 * NTP). Egress to these is normal; egress of large volumes to an address outside this list is not.
 */
export const EXTERNAL_SERVICES: readonly { name: string; ip: string; port: number }[] = [
  { name: 'registry.npmjs.org (Fastly)', ip: '104.16.24.34', port: 443 },
  { name: 'pypi.org (Fastly)', ip: '151.101.0.223', port: 443 },
  { name: 'github.com', ip: '140.82.112.4', port: 443 },
  { name: 'api.github.com', ip: '140.82.112.6', port: 443 },
  { name: 'amazonlinux mirror (S3)', ip: '52.216.8.141', port: 443 },
  { name: 'sts.us-east-1.amazonaws.com', ip: '54.239.29.25', port: 443 },
  { name: 'logs.us-east-1.amazonaws.com', ip: '3.236.94.44', port: 443 },
  { name: 'api.stripe.com', ip: '54.187.174.169', port: 443 },
  { name: 'api.sendgrid.com', ip: '167.89.118.52', port: 443 },
  { name: 'hooks.slack.com', ip: '34.226.36.49', port: 443 },
  { name: 'time.cloudflare.com (NTP)', ip: '162.159.200.1', port: 123 },
  { name: 'ntp.ubuntu.com (NTP)', ip: '185.125.190.57', port: 123 },
];
