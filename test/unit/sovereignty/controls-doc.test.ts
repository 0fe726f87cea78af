import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/common/package-root.js';
import { CONTROLS } from '../../../src/sovereignty/controls.js';
import { judgeDeployment } from '../../../src/sovereignty/judge.js';
import { FAKE_SETTING } from '../../../src/sovereignty/readings.js';

// docs/sovereignty.md lists every control of the table, and the judge keeps secrets out of what
// it reports (the Agents config holds API keys in clear; the DSN holds the database password).

describe('sovereignty controls', () => {
  it('docs/sovereignty.md lists every control id, and only those', () => {
    const doc = readFileSync(join(packageRoot(), 'docs', 'sovereignty.md'), 'utf8');
    const listed = [...doc.matchAll(/^\| `([a-z0-9.-]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(CONTROLS.map((c) => c.id).sort());
  });

  it('ids are unique', () => {
    expect(new Set(CONTROLS.map((c) => c.id)).size).toBe(CONTROLS.length);
  });

  it('never reports an API key or a DSN password', () => {
    const config = {
      SqlSettings: { DataSource: 'postgres://mm:dsn-password-42@db/mm?sslmode=disable' },
      PluginSettings: {
        PluginStates: { 'mattermost-ai': { Enable: true } },
        Plugins: {
          'mattermost-ai': {
            config: {
              services: [{ type: 'openai', apiKey: 'sk-secret-key-77', apiURL: 'https://api.openai.com/v1' }],
            },
          },
        },
      },
      EmailSettings: { SMTPPassword: FAKE_SETTING },
    };
    const report = judgeDeployment('http://x', {
      config,
      client: null,
      licence: null,
      callsConfig: null,
      problems: [],
    });
    const text = JSON.stringify(report);
    expect(text).not.toContain('sk-secret-key-77');
    expect(text).not.toContain('dsn-password-42');
    expect(report.controls.find((c) => c.id === 'ai.endpoint')?.status).toBe('fail');
    expect(report.controls.find((c) => c.id === 'transport.database-tls')?.found).toBe('sslmode=disable');
  });
});
