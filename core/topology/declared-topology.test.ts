import { describe, expect, it } from 'vitest';
import { defaultTopology } from './default-topology.ts';
import { mergeEstateDeclarations } from './estate-declaration.ts';
import { globToRegExp, logGroupRouter } from './log-group-routes.ts';
import { topologyEnv, topologyFromEnv } from './topology-from-env.ts';

// seeds/004's estate: a team's own names and groups, none of them firedrill's.
const SEED_004 = {
  region: 'ap-south-1',
  names: { database: 'mydb', cluster: 'my-cluster', service: 'my-python-service', functions: ['log-rca-agent'] },
  logGroups: [
    { name: '/aws/rds/instance/mydb/postgresql', source: 'rds' as const, format: 'postgresql' },
    { name: '/ecs/my-python-service', source: 'app' as const, format: 'plain' },
    { name: '/aws/ecs/containerinsights/my-cluster/performance', source: 'ecs' as const },
  ],
};

describe('a declared estate', () => {
  it('names every resource after the declaration and keeps the defaults of what it leaves out', () => {
    const t = defaultTopology(SEED_004);
    expect(t.region).toBe('ap-south-1');
    expect(t.estate.rds.dbInstanceId).toBe('mydb');
    expect(t.estate.ecs).toMatchObject({ cluster: 'my-cluster', service: 'my-python-service', containerName: 'my-python-service' });
    expect(t.estate.app).toBe('my-python-service');
    expect(t.estate.lambdas.map((l) => l.name)).toEqual(['log-rca-agent']);
    expect(t.estate.waf.webAcl).toBe('firedrill-web-acl');
    const groups = t.pipeline.logGroups.map((g) => `${g.source} ${g.name}`);
    // Declared sources have exactly their declared groups; the ECS events group of the defaults is gone.
    expect(groups.filter((g) => /^(rds|app|ecs) /.test(g))).toEqual([
      'rds /aws/rds/instance/mydb/postgresql', 'app /ecs/my-python-service', 'ecs /aws/ecs/containerinsights/my-cluster/performance',
    ]);
    expect(groups).toContain('lambda /aws/lambda/log-rca-agent');
    expect(groups).toContain('vpcflow /firedrill/vpc/flow-logs');
  });

  it('derives the dependency graph from the names, or takes the declared one', () => {
    expect(defaultTopology(SEED_004).dependencies).toEqual([
      { from: 'ecs:my-python-service', to: 'app:my-python-service' },
      { from: 'ecs:my-cluster', to: 'app:my-python-service' },
      { from: 'app:my-python-service', to: 'rds:mydb' },
    ]);
    const deps = [{ from: 'lambda:log-rca-agent', to: 'rds:mydb' }];
    expect(defaultTopology({ ...SEED_004, dependencies: deps }).dependencies).toEqual(deps);
  });

  it('is the catalog topology when nothing is declared', () => {
    const t = defaultTopology();
    expect(t.estate.rds.dbInstanceId).toBe('firedrill-orders-db');
    expect(t.pipeline.logGroups).toHaveLength(13);
    expect(t.pipeline.sourceMap).toBeUndefined();
    expect(t.dependencies[0]).toEqual({ from: 'ecs:checkout', to: 'app:checkout' });
  });
});

describe('the log group router', () => {
  it('answers declared groups with their source, shape and entities', () => {
    const route = logGroupRouter(defaultTopology({ ...SEED_004, logGroups: [...SEED_004.logGroups, { name: '/team/orders', source: 'app', format: 'logfmt', entities: { service: 'orders' } }] }));
    expect(route('/ecs/my-python-service')).toEqual({ source: 'app', hint: { shape: 'plain' } });
    expect(route('/aws/ecs/containerinsights/my-cluster/performance')).toEqual({ source: 'ecs' });
    expect(route('/team/orders')).toEqual({ source: 'app', hint: { shape: 'logfmt' }, entities: { service: 'orders' } });
    expect(route('/ecs/someone-else')).toBeUndefined();
  });

  it('matches source map patterns in order, with what the wildcards matched in the entities', () => {
    const t = defaultTopology({
      sourceMap: [
        { match: '/vpc/*/flows', source: 'vpcflow', format: 'custom', fields: '${version} ${vpc-id} ${srcaddr}' },
        { match: '/team/*/api', source: 'app', format: 'json', entities: { service: '$1-api' } },
        { match: '/team/**', source: 'app' },
      ],
    });
    const route = logGroupRouter(t);
    expect(route('/vpc/prod/flows')).toEqual({ source: 'vpcflow', hint: { shape: 'custom', fields: ['${version}', '${vpc-id}', '${srcaddr}'] } });
    expect(route('/team/billing/api')).toEqual({ source: 'app', hint: { shape: 'json' }, entities: { service: 'billing-api' } });
    expect(route('/team/billing/worker/x')).toEqual({ source: 'app' });
    expect(route('/vpc/a/b/flows')).toBeUndefined();
    // Declared groups win over patterns.
    expect(route('/ecs/checkout')).toEqual({ source: 'app' });
  });

  it('reads globs literally apart from * ** and ?', () => {
    expect(globToRegExp('/a.b/(x)+').test('/a.b/(x)+')).toBe(true);
    expect(globToRegExp('/a.b/(x)+').test('/aXb/(x)+')).toBe(false);
    expect(globToRegExp('/l/?').test('/l/1')).toBe(true);
    expect(globToRegExp('/l/?').test('/l/12')).toBe(false);
  });
});

describe('merging declarations', () => {
  it('lets the SUT file win key by key, group by name, its routes first', () => {
    const m = mergeEstateDeclarations(
      { prefix: 'shop', names: { database: 'a', cluster: 'c' }, logGroups: [{ name: '/x', source: 'app' }], sourceMap: [{ match: '/s/*', source: 'app' }] },
      { names: { database: 'b' }, logGroups: [{ name: '/x', source: 'app', format: 'json' }], sourceMap: [{ match: '/t/*', source: 'rds' }] },
    );
    expect(m).toEqual({
      prefix: 'shop',
      names: { database: 'b', cluster: 'c' },
      logGroups: [{ name: '/x', source: 'app', format: 'json' }],
      sourceMap: [{ match: '/t/*', source: 'rds' }, { match: '/s/*', source: 'app' }],
    });
  });
});

describe('a deployed handler', () => {
  it('rebuilds the same topology from the environment the harness hands it', () => {
    const t = defaultTopology({ prefix: 'shop', ...SEED_004, sourceMap: [{ match: '/team/*', source: 'app', format: 'logfmt' }] });
    const again = topologyFromEnv(topologyEnv(t));
    expect(again.pipeline).toEqual(t.pipeline);
    expect(again.estate).toEqual(t.estate);
    expect(again.dependencies).toEqual(t.dependencies);
    expect(topologyFromEnv({}).estate.rds.dbInstanceId).toBe('firedrill-orders-db');
    expect(() => topologyFromEnv({ FIREDRILL_ESTATE: '{names' })).toThrow(/FIREDRILL_ESTATE is not JSON/);
  });
});
