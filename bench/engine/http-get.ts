import { Agent, request } from 'node:http';
import { Pool } from 'undici';
import type { Behaviour } from '../../src/load/types.js';

// The smallest useful iteration: one HTTP GET, body read to the end. Three clients, to see which
// one the harness's HTTP layer should use: Node's fetch (undici inside, behind WHATWG streams),
// http.request on a keep-alive Agent, and undici's own request API on a Pool (no fetch layer).

export const HTTP_CLIENTS = ['fetch', 'agent', 'undici'] as const;
export type HttpClientKind = (typeof HTTP_CLIENTS)[number];

export interface HttpGetBehaviour extends Behaviour {
  readonly completed: () => number;
  readonly failed: () => number;
}

export function httpGetBehaviour(kind: HttpClientKind, url: string, connections: number): HttpGetBehaviour {
  let completed = 0;
  let failed = 0;
  const count = (status: number) => {
    if (status === 200) completed += 1;
    else failed += 1;
  };
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const viaAgent = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent, signal }, (response) => {
        response.on('data', () => undefined);
        response.on('end', () => {
          count(response.statusCode ?? 0);
          resolve();
        });
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  const viaFetch = async (signal: AbortSignal) => {
    const response = await fetch(url, { signal });
    await response.arrayBuffer();
    count(response.status);
  };
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections });
  const viaUndici = async (signal: AbortSignal) => {
    const { statusCode, body } = await pool.request({ path: target.pathname, method: 'GET', signal });
    await body.dump();
    count(statusCode);
  };
  const get = { fetch: viaFetch, agent: viaAgent, undici: viaUndici }[kind];
  return {
    completed: () => completed,
    failed: () => failed,
    initVu: async () => undefined,
    iterate: async (_iteration, signal) => {
      try {
        await get(signal);
      } catch (error) {
        if (!signal.aborted) failed += 1;
        else throw error;
      }
    },
    close: async () => {
      agent.destroy();
      await pool.close();
    },
  };
}
