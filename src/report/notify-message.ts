import type { Summary } from '../summary/summary-schema.js';
import { headline, keyFigures, runTitle } from './run-info.js';

// What `mmdrill notify` posts: for a Mattermost incoming webhook, a message (verdict, reason, key
// figures, where the run directory is) with one coloured attachment; for a generic webhook, a
// plain JSON document of the same facts. Never a secret: summary.json holds none.

export interface GenericNotification {
  verdict: Summary['verdict'];
  reason: string;
  title: string;
  scenario: string;
  environment: string;
  startedAt: string;
  durationS: number;
  partial: boolean;
  figures: Record<string, string>;
  run: string;
}

export function genericNotification(summary: Summary, runDir: string): GenericNotification {
  return {
    verdict: summary.verdict,
    reason: summary.reason,
    title: runTitle(summary),
    scenario: summary.scenario.name,
    environment: summary.environment.name,
    startedAt: summary.startedAt,
    durationS: summary.durationS,
    partial: summary.partial,
    figures: Object.fromEntries(keyFigures(summary).map((f) => [f.label, f.value])),
    run: runDir,
  };
}

const COLOUR = { pass: '#1a7f37', fail: '#cf222e', invalid: '#9a6700' } as const;

export function mattermostNotification(
  summary: Summary,
  runDir: string,
  link?: string,
): { text: string; username: string; attachments: object[] } {
  const head = headline(summary);
  const figures = keyFigures(summary);
  const where = link ? `[${runDir}](${link})` : `\`${runDir}\``;
  return {
    username: 'mmdrill',
    text: `**mmdrill ${head.label}**: ${runTitle(summary)}${summary.partial ? ' (partial)' : ''} — ${summary.reason}\nRun: ${where}`,
    attachments: [
      {
        color: COLOUR[summary.verdict],
        fallback: `mmdrill ${summary.verdict}: ${summary.reason}`,
        fields: figures.map((f) => ({ short: true, title: f.label, value: f.value })),
      },
    ],
  };
}
