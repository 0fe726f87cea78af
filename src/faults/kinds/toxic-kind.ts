import { type TProperties, Type } from '@sinclair/typebox';
import type { ConfigIssue } from '../../config/load.js';
import { StringEnum } from '../../config/schema-builders.js';
import {
  type ToxicAttributesByType,
  type ToxicStream,
  type ToxicType,
  ToxiproxyApiError,
  type ToxiproxyClient,
} from '../../stack/toxiproxy-client.js';
import {
  type ActiveFault,
  activeFault,
  defineFaultKind,
  type FaultContext,
  type FaultKind,
  type KindEntry,
} from '../kind.js';
import type { ResolvedTarget } from '../targets.js';
import { removeToxicFromChain } from '../toxic-chain.js';

// What every Toxiproxy toxic kind shares: the direction and the share of connections it acts
// on, adding one toxic per proxy of the link and stream, and deleting them on removal.

export const STREAMS = ['upstream', 'downstream', 'both'] as const;
export type StreamChoice = (typeof STREAMS)[number];

export const TOXIC_FIELDS = {
  stream: Type.Optional(
    StringEnum(STREAMS, {
      description:
        'Direction: upstream (client → server), downstream (server → client) or both. Default: downstream, as in Toxiproxy.',
    }),
  ),
  toxicity: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Share of connections that get the toxic, 0 to 1. Default: 1 (all).',
    }),
  ),
};

type ToxicFields<P extends TProperties> = typeof TOXIC_FIELDS & P;

/** The fields every toxic kind has (TypeScript cannot see them through the generic fields). */
interface ToxicOptions {
  stream?: StreamChoice;
  toxicity?: number;
}

const toxicOptions = (entry: object): ToxicOptions => entry as ToxicOptions;

export interface ToxicKindDefinition<N extends string, P extends TProperties, T extends ToxicType> {
  name: N;
  description: string;
  toxicType: T;
  fields: P;
  /** The toxic's attributes from the entry (durations in ms, sizes in bytes or KB/s). */
  attributes(entry: KindEntry<N, ToxicFields<P>>): ToxicAttributesByType[T];
  validate?(entry: KindEntry<N, ToxicFields<P>>): ConfigIssue[];
}

export function streamsOf(choice: StreamChoice | undefined): ToxicStream[] {
  if (choice === 'both') return ['upstream', 'downstream'];
  return [choice ?? 'downstream'];
}

function linkProxies(target: ResolvedTarget): string[] {
  return target.type === 'link' ? target.proxies : [];
}

/** A Toxiproxy toxic kind: targets a link, never destructive, one toxic per proxy and stream. */
export function toxicKind<const N extends string, P extends TProperties, T extends ToxicType>(
  definition: ToxicKindDefinition<N, P, T>,
): FaultKind<KindEntry<N, ToxicFields<P>>> {
  return defineFaultKind({
    name: definition.name,
    description: definition.description,
    fields: { ...TOXIC_FIELDS, ...definition.fields } as ToxicFields<P>,
    targets: 'link',
    destructive: false,
    validate: (entry) => definition.validate?.(entry) ?? [],
    footprint: (entry, target) => ({
      proxies: linkProxies(target),
      blocksLink: false,
      toxic: { type: definition.toxicType, streams: streamsOf(toxicOptions(entry).stream) },
      components: [],
    }),
    apply: (context) =>
      applyToxics(context, {
        type: definition.toxicType,
        attributes: definition.attributes(context.fault.entry),
        streams: streamsOf(toxicOptions(context.fault.entry).stream),
        toxicity: toxicOptions(context.fault.entry).toxicity ?? 1,
      }),
  });
}

/** The toxic's name on the server: the fault's name (unique in the plan) and the stream. */
export function toxicName(faultName: string, stream: ToxicStream): string {
  return `mmdrill.${faultName.replace(/[^A-Za-z0-9._-]/g, '_')}.${stream}`;
}

interface ToxicsToAdd<T extends ToxicType> {
  type: T;
  attributes: ToxicAttributesByType[T];
  streams: readonly ToxicStream[];
  toxicity: number;
}

interface PlacedToxic {
  client: ToxiproxyClient;
  proxy: string;
  stream: ToxicStream;
  toxic: string;
}

/** Adds the toxics on every proxy of the target; on failure, removes what was added and throws. */
async function applyToxics<T extends ToxicType>(
  context: FaultContext,
  toxics: ToxicsToAdd<T>,
): Promise<ActiveFault> {
  const proxies = linkProxies(context.target);
  const planned: PlacedToxic[] = proxies.flatMap((proxy) =>
    toxics.streams.map((stream) => ({
      client: context.toxiproxy(proxy),
      proxy,
      stream,
      toxic: toxicName(context.fault.name, stream),
    })),
  );
  const unregister = planned.map(({ client, proxy, toxic }) =>
    context.exitCleanup.register({ toxiproxy: { api: client.baseUrl, removeToxics: [{ proxy, toxic }] } }),
  );
  const remaining = [...planned];
  const undo = async () => {
    while (remaining.length > 0) {
      const { client, proxy, toxic } = remaining[0]!;
      await removeToxicFromChain(client, proxy, toxic);
      remaining.shift();
    }
    for (const done of unregister) done();
  };
  try {
    for (const { client, proxy, stream, toxic } of planned) {
      await addReplacing(client, proxy, {
        name: toxic,
        type: toxics.type,
        stream,
        toxicity: toxics.toxicity,
        attributes: toxics.attributes,
      });
    }
  } catch (error) {
    await undo().catch(() => undefined);
    throw error;
  }
  return activeFault(proxies, undo);
}

/** A toxic left by an earlier, crashed run under the same name is replaced. */
async function addReplacing<T extends ToxicType>(
  client: ToxiproxyClient,
  proxy: string,
  spec: {
    name: string;
    type: T;
    stream: ToxicStream;
    toxicity: number;
    attributes: ToxicAttributesByType[T];
  },
): Promise<void> {
  try {
    await client.addToxic(proxy, spec);
  } catch (error) {
    if (!(error instanceof ToxiproxyApiError && error.status === 409)) throw error;
    await client.removeToxic(proxy, spec.name);
    await client.addToxic(proxy, spec);
  }
}
