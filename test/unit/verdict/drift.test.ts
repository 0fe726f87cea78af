import { describe, expect, it } from 'vitest';
import { DRIFT_SERIES_UNITS, driftFailures, driftReport, fitLine } from '../../../src/verdict/drift.js';
import { parseDriftThresholds } from '../../../src/verdict/drift-thresholds.js';

const MB = 1024 ** 2;

describe('drift analysis', () => {
  it('fits a least-squares line with x in minutes', () => {
    const points = [0, 60, 120, 180].map((tS) => ({ tS, value: 100 + 5 * (tS / 60) }));
    expect(fitLine(points)).toEqual({ slopePerMin: 5, intercept: 100 });
    expect(fitLine(points.slice(0, 1))).toBeNull();
  });

  it('fails a leak over its threshold, reports first/last/change, and marks unmeasured series unknown', () => {
    const { thresholds } = parseDriftThresholds(
      { mm_app_rss_slope: ['value<1MB/min'], http_req_duration_p99_slope: ['value<10ms/min'] },
      DRIFT_SERIES_UNITS,
    );
    const leak = [30, 90, 150, 210].map((tS) => ({ tS, value: 100 * MB + 4 * MB * (tS / 60) }));
    const report = driftReport({
      windowMs: 60_000,
      warmupMs: 0,
      thresholds,
      recorded: [
        { name: 'mm_app_rss', points: leak },
        { name: 'http_req_duration_p99', points: leak.map((p) => ({ tS: p.tS, value: 20 })) },
        { name: 'pg_connections', points: [], unknown: 'pg_stat_activity not reachable: refused' },
      ],
    });
    const rss = report.series.find((s) => s.name === 'mm_app_rss')!;
    expect(rss.slopePerMin).toBeCloseTo(4 * MB);
    expect(rss.change).toBeCloseTo((leak[3]!.value - leak[0]!.value) / leak[0]!.value);
    expect(report.series.find((s) => s.name === 'pg_connections')).toMatchObject({ status: 'unknown' });
    expect(report.ok).toBe(false);
    expect(report.thresholds.map((t) => t.ok)).toEqual([false, true]);
    expect(driftFailures(report)[0]).toMatch(
      /^drift: 1 drift threshold\(s\) failed: mm_app_rss_slope value<1MB\/min \(got 4.00 MB\/min\)/,
    );
  });

  it('passes a flat series and says when a run was too short to judge', () => {
    const { thresholds } = parseDriftThresholds({ mm_app_rss_slope: ['value<1MB/min'] }, DRIFT_SERIES_UNITS);
    const flat = driftReport({
      windowMs: 10_000,
      warmupMs: 0,
      thresholds,
      recorded: [{ name: 'mm_app_rss', points: [5, 15, 25].map((tS) => ({ tS, value: 80 * MB })) }],
    });
    expect(flat.ok).toBe(true);
    expect(flat.reason).toMatch(/all 1 drift threshold\(s\) passed over 3 windows/);
    const short = driftReport({ windowMs: 10_000, warmupMs: 0, thresholds, recorded: [] });
    expect(short.reason).toMatch(/too short/);
  });
});
