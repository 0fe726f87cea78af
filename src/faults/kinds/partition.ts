import { defineFaultKind } from '../kind.js';
import { takeLinkDown } from './link-down.js';

/** The link is cut: its proxies are disabled for the duration, then enabled again. */
export const partition = defineFaultKind({
  name: 'partition',
  description: 'Takes the link down (its Toxiproxy proxies disabled): connections refused and cut.',
  fields: {},
  targets: 'link',
  destructive: true,
  footprint: (_entry, target) => ({
    proxies: target.type === 'link' ? target.proxies : [],
    blocksLink: true,
    components: [],
  }),
  apply: (context) => takeLinkDown(context, context.target.type === 'link' ? context.target.proxies : []),
});
