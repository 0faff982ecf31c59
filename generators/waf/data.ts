/**
 * Static lists of the WAF generator, apart from its logic: the web ACL's rules in priority order, the
 * routes each front door serves, attack payloads and crawler paths.
 */

/** A route of the application. `{id}` is replaced by a number in idRange. */
export interface RouteSpec {
  method: string;
  uri: string;
  weight: number;
  idRange?: readonly [number, number];
  args?: readonly string[];
}

/** The storefront behind the ALB (the ECS service) — most of the traffic. */
export const ALB_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', uri: '/', weight: 14 },
  { method: 'GET', uri: '/products', weight: 12, args: ['', '', 'page=2', 'page=3', 'sort=price', 'category=shoes', 'category=bags'] },
  { method: 'GET', uri: '/products/{id}', weight: 22, idRange: [1000, 4999] },
  { method: 'GET', uri: '/search', weight: 6, args: ['q=running+shoes', 'q=backpack', 'q=gift+card', 'q=sale', 'q=jacket&size=m'] },
  { method: 'GET', uri: '/cart', weight: 6 },
  { method: 'POST', uri: '/cart/items', weight: 4 },
  { method: 'GET', uri: '/checkout', weight: 3 },
  { method: 'POST', uri: '/checkout', weight: 1.5 },
  { method: 'GET', uri: '/login', weight: 2 },
  { method: 'POST', uri: '/login', weight: 1.2 },
  { method: 'GET', uri: '/account', weight: 2 },
  { method: 'GET', uri: '/health', weight: 0.5 },
  { method: 'HEAD', uri: '/', weight: 2 },
  { method: 'HEAD', uri: '/products/{id}', weight: 1, idRange: [1000, 4999] },
];

/** The public API behind API Gateway (mobile app). */
export const APIGW_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', uri: '/prod/v1/products', weight: 10, args: ['', 'limit=20', 'limit=50&offset=50'] },
  { method: 'GET', uri: '/prod/v1/products/{id}', weight: 12, idRange: [1000, 4999] },
  { method: 'GET', uri: '/prod/v1/orders', weight: 4 },
  { method: 'POST', uri: '/prod/v1/orders', weight: 2 },
  { method: 'GET', uri: '/prod/v1/orders/{id}', weight: 3, idRange: [500000, 599999] },
  { method: 'PUT', uri: '/prod/v1/cart', weight: 2 },
  { method: 'OPTIONS', uri: '/prod/v1/cart', weight: 1 },
  { method: 'POST', uri: '/prod/v1/auth/token', weight: 1 },
];

/** Static assets behind CloudFront. */
export const CF_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', uri: '/static/js/app.{id}.js', weight: 10, idRange: [1, 40] },
  { method: 'GET', uri: '/static/css/main.{id}.css', weight: 6, idRange: [1, 12] },
  { method: 'GET', uri: '/images/products/{id}.webp', weight: 20, idRange: [1000, 4999] },
  { method: 'GET', uri: '/favicon.ico', weight: 3 },
  { method: 'GET', uri: '/robots.txt', weight: 0.5 },
  { method: 'HEAD', uri: '/images/products/{id}.webp', weight: 1, idRange: [1000, 4999] },
];

/** Paths internet noise probes (vulnerability scanners sweeping the whole IPv4 space). */
export const NOISE_PATHS: readonly string[] = [
  '/wp-login.php', '/.env', '/.git/config', '/admin.php', '/phpmyadmin/index.php', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php',
  '/cgi-bin/luci/;stok=/locale', '/boaform/admin/formLogin', '/actuator/health', '/HNAP1/', '/solr/admin/info/system', '/owa/auth/logon.aspx',
];

/** SQL injection probes (query string), as sqlmap-style scanners send them. */
export const SQLI_ARGS: readonly string[] = [
  "id=1'%20OR%20'1'='1",
  'id=1%20UNION%20SELECT%20NULL,NULL,NULL--',
  "q=shoes'%20AND%201=1--",
  'id=1;WAITFOR%20DELAY%20%270:0:5%27--',
  "id=-1'%20UNION%20ALL%20SELECT%20username,password%20FROM%20users--",
  'id=1%20AND%20SLEEP(5)',
  "category=bags'%20OR%201=1%23",
];

/** Cross-site scripting probes. */
export const XSS_ARGS: readonly string[] = [
  'q=%3Cscript%3Ealert(1)%3C/script%3E',
  'q=%22%3E%3Csvg/onload=alert(document.domain)%3E',
  'redirect=javascript:alert(1)',
  'q=%3Cimg%20src=x%20onerror=alert(1)%3E',
];

/** What a matched SQLi/XSS probe shows in matchedData (tokens AWS extracts). */
export const SQLI_MATCHED: readonly (readonly string[])[] = [["'", 'OR', "'1'='1"], ['UNION', 'SELECT', 'NULL'], ['AND', '1=1'], ['SLEEP', '(', '5', ')']];
export const XSS_MATCHED: readonly (readonly string[])[] = [['<script', '>'], ['<svg', 'onload='], ['javascript:'], ['<img', 'onerror=']];

/** The web ACL's managed rule groups, in priority order (as `ruleGroupId` spells them). */
export const MANAGED_GROUPS = [
  { id: 'AWS#AWSManagedRulesAmazonIpReputationList', ruleName: 'AWS-AWSManagedRulesAmazonIpReputationList', labelNs: 'amazon-ip-list' },
  { id: 'AWS#AWSManagedRulesCommonRuleSet', ruleName: 'AWS-AWSManagedRulesCommonRuleSet', labelNs: 'core-rule-set' },
  { id: 'AWS#AWSManagedRulesKnownBadInputsRuleSet', ruleName: 'AWS-AWSManagedRulesKnownBadInputsRuleSet', labelNs: 'known-bad-inputs' },
  { id: 'AWS#AWSManagedRulesSQLiRuleSet', ruleName: 'AWS-AWSManagedRulesSQLiRuleSet', labelNs: 'sql-database' },
  { id: 'AWS#AWSManagedRulesBotControlRuleSet', ruleName: 'AWS-AWSManagedRulesBotControlRuleSet', labelNs: 'bot-control' },
] as const;
export type ManagedGroupId = (typeof MANAGED_GROUPS)[number]['id'];

/** Custom rules of the web ACL. */
export const RULES = {
  rateLimit: { name: 'RateLimitPerIP', limit: 2000, windowSec: 300 },
  geoBlock: { name: 'GeoBlockSanctioned', countries: ['KP', 'IR', 'SY', 'CU'] },
  countLogin: { name: 'CountLoginPosts' },
} as const;

/** Verified search-engine crawlers (good bots): address prefixes and names. */
export const GOOD_BOTS: readonly { prefix: string; name: string; ua: string; asn: number }[] = [
  { prefix: '66.249.66', name: 'googlebot', ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', asn: 15169 },
  { prefix: '66.249.79', name: 'googlebot', ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', asn: 15169 },
  { prefix: '40.77.167', name: 'bingbot', ua: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', asn: 8075 },
  { prefix: '157.55.39', name: 'bingbot', ua: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', asn: 8075 },
];

export const ACCEPT_LANGUAGE: Readonly<Record<string, string>> = {
  US: 'en-US,en;q=0.9', GB: 'en-GB,en;q=0.9', IN: 'en-IN,en;q=0.9,hi;q=0.8', DE: 'de-DE,de;q=0.9,en;q=0.8', CA: 'en-CA,en;q=0.9,fr-CA;q=0.8',
  FR: 'fr-FR,fr;q=0.9,en;q=0.8', JP: 'ja-JP,ja;q=0.9,en;q=0.8', AU: 'en-AU,en;q=0.9', NL: 'nl-NL,nl;q=0.9,en;q=0.8', BR: 'pt-BR,pt;q=0.9,en;q=0.8',
  ES: 'es-ES,es;q=0.9,en;q=0.8', IE: 'en-IE,en;q=0.9', SG: 'en-SG,en;q=0.9,zh;q=0.8',
};
