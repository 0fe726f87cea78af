import { describe, expect, test } from 'vitest';
import { type NginxConfigInput, renderNginxConfig } from '../../../src/stack/native/nginx-config.js';

const base: NginxConfigInput = {
  dir: '/run/mmdrill/lb',
  port: 8080,
  statusPort: 8081,
  upstreams: ['127.0.0.1:9001', '127.0.0.1:9002'],
  generation: 3,
};

describe('renderNginxConfig', () => {
  test("follows Mattermost's HA guidance and keeps every path in the run dir", () => {
    const conf = renderNginxConfig(base);
    expect(conf).toContain('server 127.0.0.1:9001 max_fails=1 fail_timeout=10s;');
    expect(conf).toContain('server 127.0.0.1:9002 max_fails=1 fail_timeout=10s;');
    expect(conf).toContain('keepalive 64;');
    expect(conf).not.toMatch(/ip_hash|sticky|hash /);
    expect(conf).toContain('location ~ /api/v[0-9]+/(users/)?websocket$ {');
    expect(conf).toContain('proxy_set_header Connection "upgrade";');
    expect(conf).toContain('proxy_set_header Connection "";');
    expect(conf.match(/proxy_read_timeout 90s;/g)).toHaveLength(2);
    expect(conf.match(/client_max_body_size 100M;/g)).toHaveLength(2);
    expect(conf).toContain('listen 127.0.0.1:8080;');
    expect(conf).toContain('return 200 "generation 3\\n";');
    // Nothing outside the run dir (the Debian build defaults to /var/lib/nginx and /run).
    const paths = conf.match(/(?<=\s)\/[\w/.-]+/g) ?? [];
    expect(paths.length).toBeGreaterThan(5);
    const outside = paths.filter(
      (path) => !/^\/(run\/mmdrill\/lb\/|api\/|nginx-(health|status)$)/.test(path),
    );
    expect(outside).toEqual([]);
    expect(conf).not.toMatch(/^user /m);
  });

  test('applies tuning and the worker user', () => {
    const conf = renderNginxConfig({
      ...base,
      workerProcesses: 'auto',
      workerConnections: 1000,
      clientMaxBodySize: '50m',
      proxyReadTimeoutSeconds: 600,
      maxFails: 3,
      failTimeoutSeconds: 5,
      workerUser: 'root root',
    });
    expect(conf).toMatch(/^user root root;$/m);
    expect(conf).toContain('worker_processes auto;');
    expect(conf).toContain('worker_connections 1000;');
    expect(conf).toContain('worker_rlimit_nofile 2064;');
    expect(conf).toContain('client_max_body_size 50m;');
    expect(conf).toContain('proxy_read_timeout 600s;');
    expect(conf).toContain('server 127.0.0.1:9001 max_fails=3 fail_timeout=5s;');
  });

  test.each([
    [{ upstreams: [] }, /at least one upstream/],
    [{ upstreams: ['127.0.0.1:80; include /etc/passwd'] }, /is not host:port/],
    [{ dir: '/tmp/my drills' }, /characters nginx.conf cannot carry/],
    [{ clientMaxBodySize: '1 GB' }, /not an nginx size/],
    [{ workerProcesses: 0 }, /workerProcesses must be a positive integer/],
    [{ proxyReadTimeoutSeconds: 1.5 }, /proxyReadTimeoutSeconds must be a positive integer/],
  ])('rejects %o', (override, message) => {
    expect(() => renderNginxConfig({ ...base, ...override })).toThrow(message);
  });
});
