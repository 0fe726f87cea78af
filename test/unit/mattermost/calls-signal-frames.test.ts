import { inflateSync } from 'node:zlib';
import { decode } from '@msgpack/msgpack';
import { describe, expect, test } from 'vitest';
import {
  callsEventName,
  decodeSdpFrame,
  encodeActionFrame,
  encodeSdpFrame,
  parseSignal,
  trackSession,
} from '../../../src/mattermost/calls/signal-frames.js';

// The Calls wire format: JSON action frames, the binary msgpack `sdp` frame with zlib-deflated
// JSON inside, and the `signal` payloads from the server.

const SDP = 'v=0\r\no=- 46117317 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n';

describe('Calls signaling frames', () => {
  test('sdp frame: msgpack with the action, seq and a binary zlib payload; round trip', () => {
    const frame = encodeSdpFrame(7, { type: 'offer', sdp: SDP });
    const raw = decode(frame) as { action: string; seq: number; data: { data: unknown } };
    expect(raw.action).toBe('custom_com.mattermost.calls_sdp');
    expect(raw.seq).toBe(7);
    // msgpack `bin` (a Uint8Array), not a string: the server drops anything else.
    expect(raw.data.data).toBeInstanceOf(Uint8Array);
    const payload = raw.data.data as Uint8Array;
    expect(payload[0]).toBe(0x78); // zlib header (RFC 1950), as deflateSync writes it
    expect(JSON.parse(inflateSync(payload).toString())).toEqual({ type: 'offer', sdp: SDP });
    expect(decodeSdpFrame(frame)).toEqual({ seq: 7, description: { type: 'offer', sdp: SDP } });
  });

  test('a frame of another action is not taken for an sdp frame', () => {
    const other = encodeSdpFrame(1, { type: 'answer', sdp: SDP });
    const tampered = new Uint8Array(other);
    // Change one letter of "sdp" in the action name.
    const at = Buffer.from(tampered).indexOf('calls_sdp') + 'calls_'.length;
    tampered[at] = 'x'.charCodeAt(0);
    expect(() => decodeSdpFrame(tampered)).toThrow(/not an sdp frame/);
  });

  test('JSON action frames carry the prefixed action', () => {
    const frame = JSON.parse(
      encodeActionFrame('reconnect', 3, { channelID: 'ch', originalConnID: 'a', prevConnID: 'b' }),
    );
    expect(frame).toEqual({
      action: 'custom_com.mattermost.calls_reconnect',
      seq: 3,
      data: { channelID: 'ch', originalConnID: 'a', prevConnID: 'b' },
    });
    expect(callsEventName('custom_com.mattermost.calls_user_joined')).toBe('user_joined');
    expect(callsEventName('posted')).toBeNull();
  });

  test('signal payloads: offer, answer, candidate; anything else is refused', () => {
    expect(parseSignal(JSON.stringify({ type: 'offer', sdp: SDP }))).toEqual({ type: 'offer', sdp: SDP });
    const candidate = {
      candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    };
    expect(parseSignal(JSON.stringify({ type: 'candidate', candidate }))).toEqual({
      type: 'candidate',
      candidate,
    });
    expect(() => parseSignal(JSON.stringify({ type: 'candidate', candidate: {} }))).toThrow();
    expect(() => parseSignal(JSON.stringify({ type: 'pranswer', sdp: SDP }))).toThrow(/pranswer/);
    expect(() => parseSignal('not json')).toThrow();
  });

  test("rtcd's track ids name the sending session", () => {
    expect(trackSession('audio_k3d9x1abcd_8f7e6d5c')).toBe('k3d9x1abcd');
    expect(trackSession('c1b0b8a4-5c3f-4a8e-9d5e-3f3c2b1a0f9e')).toBeNull();
  });
});
