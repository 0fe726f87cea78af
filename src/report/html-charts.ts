import { clock, duration } from './format.js';
import { escapeHtml, jsonForScript } from './html-kit.js';
import type { TimelineFault } from './timeline.js';
import type { IntervalLine } from './timeseries.js';

// The report's charts over time: which series each chart draws, the data they get (columns, not
// rows: one array per series keeps an hour at 1 s resolution small and quick to parse), and the
// script that draws them with uPlot in the browser, shading every fault window on every chart.

interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  series: ChartSeries[];
  /** Left out of runs without samples (feature charts: Calls). */
  optional?: boolean;
}

const CHARTS: readonly ChartSpec[] = [
  {
    id: 'req-rate',
    title: 'Request rate',
    unit: 'req/s',
    series: [{ key: 'reqRate', label: 'requests/s', color: '#0969da' }],
  },
  {
    id: 'latency',
    title: 'HTTP latency percentiles',
    unit: 'ms',
    series: [
      { key: 'httpP50Ms', label: 'p50', color: '#1a7f37' },
      { key: 'httpP95Ms', label: 'p95', color: '#bf8700' },
      { key: 'httpP99Ms', label: 'p99', color: '#cf222e' },
    ],
  },
  {
    id: 'errors',
    title: 'Error rate',
    unit: '%',
    series: [
      { key: 'errorPct', label: 'failed requests %', color: '#cf222e' },
      { key: 'http5xxPct', label: '5xx %', color: '#8250df' },
    ],
  },
  {
    id: 'websockets',
    title: 'Connected WebSockets',
    unit: 'sessions',
    series: [
      { key: 'wsSessions', label: 'WebSocket sessions', color: '#0969da' },
      { key: 'vus', label: 'active VUs', color: '#656d76' },
    ],
  },
  {
    id: 'delivery',
    title: 'Delivery latency (post → posted)',
    unit: 'ms',
    series: [
      { key: 'deliveryP50Ms', label: 'p50', color: '#1a7f37' },
      { key: 'deliveryP99Ms', label: 'p99', color: '#cf222e' },
    ],
  },
  {
    id: 'request-groups',
    title: 'Requests by endpoint group (the resync burst)',
    unit: 'req/s · resyncs',
    optional: true,
    series: [
      { key: 'groupLogin', label: 'login / first load', color: '#8250df' },
      { key: 'groupResync', label: 'resync', color: '#cf222e' },
      { key: 'groupMessaging', label: 'messaging', color: '#1a7f37' },
      { key: 'groupChannels', label: 'channels', color: '#0969da' },
      { key: 'groupFiles', label: 'files', color: '#bf8700' },
      { key: 'groupSearch', label: 'search', color: '#1b7c83' },
      { key: 'groupOther', label: 'other', color: '#656d76' },
      { key: 'wsResyncs', label: 'clients resynced', color: '#000000' },
    ],
  },
  {
    id: 'calls-quality',
    title: 'Calls media quality',
    unit: 'MOS 1–4.5 · loss % · participants',
    optional: true,
    series: [
      { key: 'callsMosP50', label: 'MOS p50', color: '#1a7f37' },
      { key: 'callsLossP95', label: 'loss p95 %', color: '#cf222e' },
      { key: 'callsParticipants', label: 'participants', color: '#656d76' },
    ],
  },
];

type Column = (number | null)[];

interface ChartPayload {
  x: number[];
  series: Record<string, Column>;
  charts: (ChartSpec & { empty: boolean })[];
  faults: (TimelineFault & { caption: string })[];
}

const round = (v: number | null, digits: number): number | null => {
  if (v === null || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

export function chartPayload(
  intervals: readonly IntervalLine[],
  faults: readonly TimelineFault[],
): ChartPayload {
  const column = (pick: (line: IntervalLine) => number | null, digits = 3): Column =>
    intervals.map((line) => round(pick(line), digits));
  const series: Record<string, Column> = {
    reqRate: column((l) => l.reqRate),
    httpP50Ms: column((l) => l.httpP50Ms),
    httpP95Ms: column((l) => l.httpP95Ms),
    httpP99Ms: column((l) => l.httpP99Ms),
    errorPct: column((l) => l.errorRate * 100, 4),
    http5xxPct: column((l) => l.http5xxRate * 100, 4),
    wsSessions: column((l) => l.wsSessions, 0),
    vus: column((l) => l.vus, 0),
    deliveryP50Ms: column((l) => l.deliveryP50Ms),
    deliveryP99Ms: column((l) => l.deliveryP99Ms),
    groupLogin: column((l) => l.groups?.login ?? null),
    groupResync: column((l) => l.groups?.resync ?? null),
    groupMessaging: column((l) => l.groups?.messaging ?? null),
    groupChannels: column((l) => l.groups?.channels ?? null),
    groupFiles: column((l) => l.groups?.files ?? null),
    groupSearch: column((l) => l.groups?.search ?? null),
    groupOther: column((l) => l.groups?.other ?? null),
    wsResyncs: column((l) => l.wsResyncs ?? null, 0),
    callsMosP50: column((l) => l.calls?.mosP50 ?? null),
    callsLossP95: column((l) => l.calls?.lossP95 ?? null),
    callsParticipants: column((l) => l.calls?.participants ?? null, 0),
  };
  const charts = CHARTS.map((c) => ({
    ...c,
    empty: c.series.every((s) => (series[s.key] ?? []).every((v) => v === null)),
  })).filter((c) => !(c.optional && c.empty));
  return {
    x: intervals.map((l) => l.elapsedS),
    series,
    charts,
    faults: faults.map((f) => ({ ...f, caption: faultCaption(f) })),
  };
}

function faultCaption(f: TimelineFault): string {
  const span = `${clock(f.startS)}–${f.open ? 'end of run' : clock(f.endS)}`;
  return `${f.name} (${f.kind}${f.target ? ` → ${f.target}` : ''}) ${span}, ${duration(f.endS - f.startS)}`;
}

/** The charts section: containers, the fault list, the data and the drawing script. */
export function renderCharts(
  intervals: readonly IntervalLine[],
  faults: readonly TimelineFault[],
): {
  html: string;
  dataScript: string;
} {
  const payload = chartPayload(intervals, faults);
  if (intervals.length === 0) {
    return {
      html: '<section id="charts"><h2>Over time</h2><p class="note">No time series (timeseries.ndjson is missing or empty): nothing to chart.</p></section>',
      dataScript: '',
    };
  }
  const faultList =
    payload.faults.length === 0
      ? '<p class="note">No faults were applied in this run.</p>'
      : `<ul class="fault-list">${payload.faults
          .map((f) => `<li><span class="fault-swatch"></span>${escapeHtml(f.caption)}</li>`)
          .join('')}</ul>`;
  const charts = payload.charts
    .map(
      (c) =>
        `<figure class="chart"><figcaption>${escapeHtml(c.title)} <span class="unit">(${escapeHtml(c.unit)})</span>${
          c.empty ? ' <span class="s-muted">— no samples in this run</span>' : ''
        }</figcaption><div class="chart-plot" id="chart-${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}"></div></figure>`,
    )
    .join('\n');
  return {
    html: `<section id="charts"><h2>Over time</h2>${faultList}<div class="charts">${charts}</div></section>`,
    dataScript: `<script type="application/json" id="mmdrill-chart-data">${jsonForScript(payload)}</script>`,
  };
}

export const CHART_CSS = `
.charts { display: grid; grid-template-columns: 1fr; gap: 8px; }
.chart { margin: 0; } .chart figcaption { font-weight: 600; margin: 10px 0 2px; } .unit { color: var(--muted); font-weight: 400; }
.chart-plot { min-height: 250px; width: 100%; }
.fault-list { margin: 4px 0 8px; padding-left: 0; list-style: none; }
.fault-list li { margin: 2px 0; }
.fault-swatch { display: inline-block; width: 12px; height: 12px; background: rgba(207, 34, 46, 0.25); border: 1px solid #cf222e; margin-right: 6px; vertical-align: -1px; }
.fault-window { position: absolute; top: 0; bottom: 0; background: rgba(207, 34, 46, 0.13); border-left: 1px solid rgba(207, 34, 46, 0.7); border-right: 1px solid rgba(207, 34, 46, 0.7); pointer-events: none; }
.fault-label { position: absolute; left: 2px; font-size: 11px; line-height: 13px; color: #a40e26; background: rgba(255, 255, 255, 0.85); padding: 0 3px; white-space: nowrap; }
`;

/**
 * Runs in the browser (plain ES2017, no imports): draws each chart with the global `uPlot`, lays
 * the fault windows over every plot, and, once every chart has drawn, records the time in
 * `window.mmdrillChartsDrawnAt` and `data-charts-drawn` on <body> (for tests and the benchmark).
 */
export const CHART_SCRIPT = `(function () {
  'use strict';
  var source = document.getElementById('mmdrill-chart-data');
  if (!source) return;
  var payload = JSON.parse(source.textContent);
  var HEIGHT = 230;
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function clock(v) {
    var t = Math.max(0, Math.round(v)), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
    return h > 0 ? h + ':' + pad(m) + ':' + pad(s) : m + ':' + pad(s);
  }
  function number(v) { return v == null ? '–' : (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)); }
  var remaining = payload.charts.length;
  function drawn(el) {
    if (el.getAttribute('data-drawn') === 'true') return;
    el.setAttribute('data-drawn', 'true');
    remaining -= 1;
    if (remaining === 0) {
      window.mmdrillChartsDrawnAt = performance.now();
      document.body.setAttribute('data-charts-drawn', String(payload.charts.length));
    }
  }
  function addFaultLayer(u) {
    payload.faults.forEach(function (f, i) {
      var box = document.createElement('div');
      box.className = 'fault-window';
      box.title = f.caption;
      var label = document.createElement('span');
      label.className = 'fault-label';
      label.style.top = (2 + (i % 4) * 14) + 'px';
      label.textContent = f.name;
      box.appendChild(label);
      u.over.appendChild(box);
    });
  }
  function placeFaults(u) {
    var boxes = u.over.querySelectorAll('.fault-window');
    var width = u.over.clientWidth;
    payload.faults.forEach(function (f, i) {
      var box = boxes[i];
      if (!box) return;
      var left = Math.max(0, Math.min(width, u.valToPos(f.startS, 'x')));
      var right = Math.max(0, Math.min(width, u.valToPos(f.endS, 'x')));
      box.style.left = left + 'px';
      box.style.width = Math.max(2, right - left) + 'px';
    });
  }
  var plots = [];
  payload.charts.forEach(function (chart) {
    var el = document.getElementById('chart-' + chart.id);
    var series = [{ label: 'time', value: function (u, v) { return v == null ? '–' : clock(v); } }];
    var data = [payload.x];
    chart.series.forEach(function (s) {
      series.push({ label: s.label, stroke: s.color, width: 1.5, value: function (u, v) { return number(v); } });
      data.push(payload.series[s.key]);
    });
    var opts = {
      width: Math.max(300, el.clientWidth),
      height: HEIGHT,
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [Math.min(0, min == null ? 0 : min), max == null || max <= 0 ? 1 : max * 1.05]; } } },
      axes: [
        { values: function (u, splits) { return splits.map(clock); } },
        { label: chart.unit, size: 64 },
      ],
      series: series,
      hooks: {
        init: [addFaultLayer],
        draw: [function (u) { placeFaults(u); drawn(el); }],
      },
    };
    plots.push({ el: el, plot: new uPlot(opts, data, el) });
  });
  window.addEventListener('resize', function () {
    plots.forEach(function (p) { p.plot.setSize({ width: Math.max(300, p.el.clientWidth), height: HEIGHT }); });
  });
})();`;
