import type { EntityPools } from '../types.ts';

/** The cascade's database as the generators see it, from the topology and the estate ids. */
export interface DbModel {
  dbInstanceId: string;
  dbName: string;
  /** Major version: 16 and later use the SUPERUSER wording for reserved slots. */
  engineMajor: number;
  maxConnections: number;
  /** superuser_reserved_connections (3) plus rds.rds_superuser_reserved_connections (2) on RDS. */
  reservedConnections: number;
  endpoint: string;
  /** The instance's private address (what libpq prints beside the endpoint). */
  address: string;
  /** The application's database role. */
  appUser: string;
  logGroup: string;
  logStream: string;
}

export function dbModel(pools: EntityPools): DbModel {
  const decl = pools.topology.estate.rds;
  const id = pools.estate.rds.dbInstanceId;
  const rdsGroups = pools.topology.pipeline.logGroups.filter((g) => g.source === 'rds');
  const group = (rdsGroups.find((g) => g.name.includes(`/${id}/`)) ?? rdsGroups[0])?.name ?? `/aws/rds/instance/${id}/postgresql`;
  const major = Number.parseInt(decl.engineVersion, 10);
  return {
    dbInstanceId: id,
    dbName: pools.estate.rds.dbName,
    engineMajor: Number.isFinite(major) ? major : 16,
    maxConnections: decl.maxConnections,
    reservedConnections: 5,
    endpoint: pools.estate.rds.endpoint,
    address: `${privateBase(pools)}.20`,
    appUser: 'app',
    logGroup: group,
    logStream: id,
  };
}

/** The FATAL a client gets when only reserved slots remain; PostgreSQL 16 reworded it. */
export function reservedSlotsMessage(engineMajor: number): string {
  return engineMajor >= 16
    ? 'remaining connection slots are reserved for roles with the SUPERUSER attribute'
    : 'remaining connection slots are reserved for non-replication superuser connections';
}

export const TOO_MANY_CLIENTS = 'sorry, too many clients already';

function privateBase(pools: EntityPools): string {
  const subnet = pools.topology.estate.subnets.find((s) => s.name.startsWith('private')) ?? pools.topology.estate.subnets[0];
  const [a, b, c] = (subnet?.cidr ?? '10.0.11.0/24').split('/')[0]!.split('.');
  return `${a}.${b}.${c}`;
}
