/**
 * `npm run bench:watermark [-- bad-day rds-app-ecs-cascade]`: each catalog drill run twice on one moto firedrill
 * starts, with the same window and seed — once with the schedules fired after delivery (no pruning), once the way a
 * pruning drill runs (the detector's schedule fired during delivery up to the delivery watermark, raw and curated
 * objects removed once consumed) — and the findings compared. What may differ is when the detector decides (wall
 * time), never what: the findings' kinds, event times, scores, severities and entities' shapes, and every incident's
 * decision (detected, time to detect in event time, in time, kinds, root cause) must be the same. The estate's
 * identifiers are made afresh by each bootstrap, so ids are left out of the comparison. Prints one line per drill;
 * asserts nothing (benchmarks inform), but says DIFFERENT and lists the difference when there is one.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/index.ts';
import { runDrill, type DrillRun } from '../harness/drill/index.ts';
import { listCatalog } from '../scenarios/index.ts';

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const drills = names.length ? names : ['bad-day', 'rds-app-ecs-cascade'];
const dir = await mkdtemp(join(tmpdir(), 'firedrill-watermark-'));
const emulator = await startEmulator({ strategies: ['moto'] });

/** A finding as the detector decided it, without the estate's identifiers. */
const decided = (o: DrillRun['observations'][number]) => {
  const r = (o.raw ?? {}) as Record<string, unknown> & { entities?: Record<string, unknown>; chain?: unknown[] };
  return JSON.stringify([r.kind, r.detectedAt, r.firstSeen, r.lastSeen, r.score, r.severity, r.primary, Object.keys(r.entities ?? {}).sort(), r.chain?.length]);
};
const decisions = (run: DrillRun) => JSON.stringify(run.card.incidents.map((i) => [i.id, i.detected, i.timeToDetectSeconds, i.detectedInTime, i.matchingKinds, i.rootCauseCorrect ?? null]));

try {
  for (const id of drills) {
    const entry = listCatalog().find((c) => c.id === id);
    if (!entry) throw new Error(`no catalog drill ${id}: expected one of ${listCatalog().map((c) => c.id).join(', ')}`);
    // One window for both runs: the scenario pinned to a start that fits CloudWatch Logs' bounds now.
    const src = await readFile(entry.file, 'utf8');
    const minutes = Number(/^duration: (\d+)m/m.exec(src)?.[1] ?? 20);
    const t = Date.now() - (minutes + 25) * 60_000;
    const file = join(dir, `${id}.yaml`);
    await writeFile(file, src.replace(/^duration:/m, `start: "${new Date(t - (t % 60_000)).toISOString()}"\nduration:`));
    const runs: Record<string, { run: DrillRun; seconds: number; ticks: number }> = {};
    for (const mode of ['after delivery', 'watermark']) {
      let ticks = 0;
      const t0 = performance.now();
      const run = await runDrill(file, {
        endpoint: emulator.endpoint,
        target: 'moto',
        stage: 'detect',
        pruneConsumed: mode === 'watermark',
        onProgress: (p) => void (/delivery watermark/.test(p.detail) && ticks++),
      });
      runs[mode] = { run, seconds: (performance.now() - t0) / 1000, ticks };
    }
    const a = runs['after delivery']!;
    const b = runs.watermark!;
    const fa = a.run.observations.map(decided).sort();
    const fb = b.run.observations.map(decided).sort();
    const same = JSON.stringify(fa) === JSON.stringify(fb) && decisions(a.run) === decisions(b.run) && a.run.card.falsePositives === b.run.card.falsePositives;
    const ledger = (r: DrillRun) => (r.card.ledger?.balanced ? 'balanced' : 'UNBALANCED');
    console.log(
      `${id}: ${same ? 'same findings and decisions' : 'DIFFERENT'} — after delivery ${fa.length} findings, ${a.seconds.toFixed(1)} s, ledger ${ledger(a.run)}; watermark ${fb.length} findings, ${b.ticks} tick(s) during delivery, ${b.seconds.toFixed(1)} s, ledger ${ledger(b.run)}`,
    );
    if (!same) {
      console.log('  only after delivery:', fa.filter((x) => !fb.includes(x)));
      console.log('  only watermark:', fb.filter((x) => !fa.includes(x)));
    }
  }
} finally {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
}
