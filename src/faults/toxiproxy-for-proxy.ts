import type { Environment } from '../stack/environment.js';
import type { StackDocument } from '../stack/stack-document.js';
import { ToxiproxyClient } from '../stack/toxiproxy-client.js';

// Removing a toxic waits until the data it holds back has gone through: on a 1 KB/s link with a
// backlog that takes tens of seconds, so fault calls get far longer than the client's default.
const FAULT_API_OPTIONS = { timeoutMs: 90_000 };

// Which Toxiproxy server holds a proxy. A stack mmdrill starts has one; an `existing`
// deployment may list several instances, each carrying some of the links.

/** The client of the Toxiproxy server that holds `proxy`; throws when none does. */
export type ToxiproxyResolver = (proxy: string) => ToxiproxyClient;

/** One client for every proxy. */
export function singleToxiproxy(client: ToxiproxyClient): ToxiproxyResolver {
  return () => client;
}

/**
 * The resolver for a running stack: the stack's own Toxiproxy, or for an `existing` environment
 * (pass it) the instance that lists each proxy. Null when the stack has no Toxiproxy at all.
 */
export function toxiproxyForStack(document: StackDocument, env?: Environment): ToxiproxyResolver | null {
  if (env?.provider === 'existing' && env.existing.toxiproxy.length > 0) {
    const byProxy = new Map<string, ToxiproxyClient>();
    for (const instance of env.existing.toxiproxy) {
      const client = new ToxiproxyClient(instance.api, FAULT_API_OPTIONS);
      for (const names of Object.values(instance.links)) {
        for (const name of names === undefined ? [] : Array.isArray(names) ? names : [names])
          byProxy.set(name, client);
      }
    }
    return (proxy) => {
      const client = byProxy.get(proxy);
      if (!client) throw new Error(`no Toxiproxy instance of this environment lists proxy "${proxy}"`);
      return client;
    };
  }
  return document.toxiproxy
    ? singleToxiproxy(new ToxiproxyClient(document.toxiproxy, FAULT_API_OPTIONS))
    : null;
}
