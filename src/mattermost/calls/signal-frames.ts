import { deflateSync, inflateSync } from 'node:zlib';
import { decode, encode } from '@msgpack/msgpack';
import type { IceCandidateInit, SessionDescriptionInit } from '@roamhq/wrtc';

// The Calls plugin's wire format on the Mattermost WebSocket: JSON action frames
// `{action, seq, data}`, the one binary frame (`sdp`: msgpack around a zlib-deflated JSON
// session description), and the `signal` event's payload. Pure functions, so both directions
// can be tested without a socket.

export const CALLS_PLUGIN_ID = 'com.mattermost.calls';
const PREFIX = `custom_${CALLS_PLUGIN_ID}_`;

/** Client → server actions. */
export type CallsAction =
  | 'join'
  | 'leave'
  | 'reconnect'
  | 'sdp'
  | 'ice'
  | 'mute'
  | 'unmute'
  | 'screen_on'
  | 'screen_off'
  | 'raise_hand'
  | 'unraise_hand'
  | 'react';

export function actionName(action: CallsAction): string {
  return `${PREFIX}${action}`;
}

/** The Calls event name without its prefix (`join`, `signal`…), or null for other events. */
export function callsEventName(event: string): string | null {
  return event.startsWith(PREFIX) ? event.slice(PREFIX.length) : null;
}

export function encodeActionFrame(
  action: CallsAction,
  seq: number,
  data: Record<string, unknown> = {},
): string {
  return JSON.stringify({ action: actionName(action), seq, data });
}

/** The binary `sdp` frame: msgpack `{action, seq, data: {data: deflate(JSON)}}`. */
export function encodeSdpFrame(seq: number, description: SessionDescriptionInit): Uint8Array {
  const json = JSON.stringify({ type: description.type, sdp: description.sdp });
  return encode({ action: actionName('sdp'), seq, data: { data: deflateSync(json) } });
}

/** Reads an `sdp` frame back (the server's side; tests). Throws on anything else. */
export function decodeSdpFrame(frame: Uint8Array): { seq: number; description: SessionDescriptionInit } {
  const msg = decode(frame) as { action?: unknown; seq?: unknown; data?: { data?: unknown } };
  if (msg.action !== actionName('sdp')) throw new Error(`not an sdp frame: action ${String(msg.action)}`);
  const payload = msg.data?.data;
  if (!(payload instanceof Uint8Array)) throw new Error('sdp frame without a binary payload');
  const description = JSON.parse(inflateSync(payload).toString('utf8')) as SessionDescriptionInit;
  return { seq: typeof msg.seq === 'number' ? msg.seq : 0, description };
}

/** The `signal` event's `data` string: an offer, an answer, or a trickled candidate. */
export type SignalMessage =
  | { type: 'offer' | 'answer'; sdp: string }
  | { type: 'candidate'; candidate: IceCandidateInit };

export function parseSignal(data: string): SignalMessage {
  const msg = JSON.parse(data) as { type?: unknown; sdp?: unknown; candidate?: unknown };
  if ((msg.type === 'offer' || msg.type === 'answer') && typeof msg.sdp === 'string')
    return { type: msg.type, sdp: msg.sdp };
  if (msg.type === 'candidate' && typeof msg.candidate === 'object' && msg.candidate !== null) {
    const candidate = msg.candidate as IceCandidateInit;
    if (typeof candidate.candidate === 'string') return { type: 'candidate', candidate };
  }
  throw new Error(`unexpected signal message of type ${String(msg.type)}`);
}

/** A remote track's sender: rtcd names tracks `<kind>_<sessionID>_<random>`. */
export function trackSession(trackId: string): string | null {
  const match = /^(?:audio|video|voice|screen)_([A-Za-z0-9]+)_[A-Za-z0-9]+$/.exec(trackId);
  return match ? match[1]! : null;
}
