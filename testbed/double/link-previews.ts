import { Resolver } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Logger } from './log.js';

// Link previews, as Mattermost's ServiceSettings.EnableLinkPreviews (post_metadata.go,
// getLinkMetadata): a new post's first http(s) link is fetched by the server to build its preview.
// That is an outbound connection from the app tier, which is what the egress watch (issue 16)
// must catch, so the double does it too when started with --link-previews. Names are resolved
// only through the DNS server given with --dns-server (the stack's DNS sink), never the host's
// resolver, and the fetch runs after the post is answered (Mattermost fetches when preparing the
// post for clients, with LinkMetadataTimeoutMilliseconds = 5000; the double does not delay posts).

const TIMEOUT_MS = 5_000;
const FIRST_LINK = /\bhttps?:\/\/[^\s<>()"'`]+/i;

export class LinkPreviewer {
  private readonly lookup: LookupFunction;

  constructor(
    dnsServer: string,
    private readonly log: Logger,
  ) {
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([dnsServer]);
    this.lookup = (hostname, options, callback) => {
      resolver.resolve4(hostname, (err, addresses) => {
        if (err || addresses.length === 0) {
          callback(err ?? new Error(`no address for ${hostname}`), '', 4);
          return;
        }
        if ((options as { all?: boolean }).all)
          (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(
            null,
            addresses.map((address) => ({ address, family: 4 })),
          );
        else callback(null, addresses[0]!, 4);
      });
    };
  }

  /** Fetches the message's first link, if any; never throws, never delays the caller. */
  preview(message: string, postId: string): void {
    const link = FIRST_LINK.exec(message)?.[0];
    if (!link) return;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      return;
    }
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const req = request(url, {
      method: 'GET',
      timeout: TIMEOUT_MS,
      headers: { 'User-Agent': 'Mattermost-Bot/1.1' },
      ...(isIP(host) === 0 && { lookup: this.lookup }),
    });
    req.on('response', (res) => {
      res.resume();
      this.log.info('link preview fetched', { post_id: postId, host, status: res.statusCode });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) =>
      this.log.info('link preview failed', { post_id: postId, host, error: err.message }),
    );
    req.end();
  }
}
