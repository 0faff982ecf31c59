import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.ts';
import { parseRds } from '../../formats/rds.ts';
import { constantRate } from '../common/rate/index.ts';
import { determinismSuite, samplePools, SAMPLE_START } from '../common/testing.ts';
import { normalizeEvent, orderProblems } from '../cascade/test-helpers.ts';
import { serviceModel } from '../ecs/service-model.ts';
import { rdsBackground } from './background.ts';
import { dbModel, reservedSlotsMessage } from './db-model.ts';
import { rdsConnectionExhaustion } from '../cascade/single-links.ts';

const HOUR = 3_600_000;

describe('rds background', () => {
  const pools = samplePools(3);
  const events = [...rdsBackground.generate(createRng(3).fork('rds'), pools, { window: { start: SAMPLE_START, end: SAMPLE_START + HOUR }, rate: constantRate(5) })];

  it('writes parseable RDS lines to the instance log group and stream, in order', () => {
    const db = dbModel(pools);
    expect(events.length).toBeGreaterThan(10_000);
    expect(orderProblems(events)).toEqual([]);
    for (const e of events) {
      expect(e.dest).toEqual({ kind: 'cwl', logGroup: `/aws/rds/instance/${db.dbInstanceId}/postgresql`, logStream: db.dbInstanceId });
      const n = normalizeEvent(e);
      expect(n.time).toBe(e.time);
      expect(n.entities).toEqual({ database: db.dbInstanceId });
      expect(e.message).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC:[^:]*:[^@]*@[^:]*:\[\d+\]:[A-Z]+: {2}\S/);
      expect(e.label).toBeUndefined();
    }
  });

  it('connects clients from the service tasks only, and keeps connects and disconnects level', () => {
    const hosts = new Set(serviceModel(pools).tasks.map((t) => t.ip));
    let connects = 0, disconnects = 0;
    for (const e of events) {
      const r = parseRds(e.message);
      if (r.clientHost !== '') expect(hosts.has(r.clientHost)).toBe(true);
      if (r.text.startsWith('connection authorized')) connects++;
      if (r.text.startsWith('disconnection:')) disconnects++;
    }
    expect(Math.abs(connects - disconnects) / connects).toBeLessThan(0.05);
  });

  it('has checkpoints every five minutes, autovacuum, ERROR + STATEMENT pairs and resets', () => {
    const texts = events.map((e) => parseRds(e.message));
    const starts = texts.filter((r) => r.text === 'checkpoint starting: time').map((r) => r.time);
    expect(starts.length).toBe(12);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBe(300_000);
    expect(texts.some((r) => r.text.startsWith('checkpoint complete: wrote '))).toBe(true);
    expect(texts.some((r) => r.text.startsWith('automatic analyze of table "orders.public.'))).toBe(true);
    const dup = texts.findIndex((r) => r.severity === 'ERROR' && r.text.startsWith('duplicate key value violates unique constraint'));
    expect(texts[dup + 1]?.severity).toBe('DETAIL');
    expect(texts[dup + 2]?.severity).toBe('STATEMENT');
    const timeout = texts.findIndex((r) => r.text === 'canceling statement due to statement timeout');
    expect(texts[timeout + 1]).toMatchObject({ severity: 'STATEMENT', pid: texts[timeout]!.pid });
    expect(texts.some((r) => r.text === 'could not receive data from client: Connection reset by peer')).toBe(true);
    // No exhaustion in normal behaviour.
    expect(texts.some((r) => r.severity === 'FATAL')).toBe(false);
  });
});

describe('rds-connection-exhaustion', () => {
  it('uses the engine version for the reserved-slots wording', () => {
    expect(reservedSlotsMessage(16)).toBe('remaining connection slots are reserved for roles with the SUPERUSER attribute');
    expect(reservedSlotsMessage(15)).toBe('remaining connection slots are reserved for non-replication superuser connections');
    const pools = samplePools(1);
    const old = { ...pools, topology: { ...pools.topology, estate: { ...pools.topology.estate, rds: { ...pools.topology.estate.rds, engineVersion: '14.11' } } } };
    const req = { incidentId: 'inc-9', kind: 'rds-connection-exhaustion' as const, window: { start: SAMPLE_START, end: SAMPLE_START + 120_000 }, intensity: 1, entities: {} };
    const fatal16 = [...rdsConnectionExhaustion.generate(createRng(1), pools, req)].map((e) => e.message).filter((m) => m.includes('FATAL:  remaining'));
    const fatal14 = [...rdsConnectionExhaustion.generate(createRng(1), old, req)].map((e) => e.message).filter((m) => m.includes('FATAL:  remaining'));
    expect(fatal16.length).toBeGreaterThan(0);
    expect(fatal16.every((m) => m.endsWith('SUPERUSER attribute'))).toBe(true);
    expect(fatal14.every((m) => m.endsWith('non-replication superuser connections'))).toBe(true);
  });

  it('climbs, then refuses; every event labelled, inside the window, describing the database', () => {
    const pools = samplePools(5);
    const req = { incidentId: 'inc-2', kind: 'rds-connection-exhaustion' as const, window: { start: SAMPLE_START + 400, end: SAMPLE_START + 300_000 }, intensity: 0.5, entities: {} };
    const ev = [...rdsConnectionExhaustion.generate(createRng(5), pools, req)];
    expect(orderProblems(ev)).toEqual([]);
    expect(ev[0]!.time).toBe(SAMPLE_START + 1000);
    for (const e of ev) {
      expect(e.label).toEqual({ incidentId: 'inc-2', kind: 'rds-connection-exhaustion' });
      expect(e.time).toBeGreaterThanOrEqual(req.window.start);
      expect(e.time).toBeLessThan(req.window.end);
      normalizeEvent(e);
    }
    const firstFatal = ev.find((e) => e.message.includes(':FATAL:  '))!;
    expect(firstFatal.time - ev[0]!.time).toBe(10_000);
    expect(ev.filter((e) => e.time < firstFatal.time).every((e) => e.message.includes('connection '))).toBe(true);
    expect(rdsConnectionExhaustion.describe(createRng(5), pools, req)).toEqual({ database: dbModel(pools).dbInstanceId });
  });
});

determinismSuite({ background: 'rds' });
determinismSuite({ incident: 'rds-connection-exhaustion' });
