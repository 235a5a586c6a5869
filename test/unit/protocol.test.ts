import { describe, expect, it } from 'vitest';
import { closeReason, parseCloseReason } from '../../src/protocol/errors';
import { MAX_MESSAGE_BYTES, parseClientMessage, parseServerMessage } from '../../src/protocol/messages';

const join = { type: 'join', token: 'x.y.z', room: 'My Room', publish: { audio: true, video: true } };

describe('the signalling protocol', () => {
  it('accepts well-formed client messages', () => {
    for (const message of [join, { type: 'answer', sdp: 'v=0\r\n' }, { type: 'leave' }, { type: 'ping', id: 3 }]) {
      const parsed = parseClientMessage(JSON.stringify(message));
      expect(parsed).toEqual({ ok: true, message });
    }
  });

  it('names what is wrong with malformed ones, by stable code', () => {
    const cases: [string, string][] = [
      ['{not json', 'INVALID_JSON'],
      ['null', 'INVALID_MESSAGE'],
      ['[]', 'INVALID_MESSAGE'],
      ['"join"', 'INVALID_MESSAGE'],
      [JSON.stringify({ type: 'dance' }), 'INVALID_MESSAGE'],
      [JSON.stringify({ ...join, token: '' }), 'INVALID_MESSAGE'],
      [JSON.stringify({ ...join, publish: undefined }), 'INVALID_MESSAGE'],
      [JSON.stringify({ ...join, extra: 1 }), 'INVALID_MESSAGE'],
      [JSON.stringify({ ...join, room: 'r'.repeat(129) }), 'INVALID_MESSAGE'],
      [JSON.stringify({ ...join, room: '   ' }), 'INVALID_MESSAGE'],
      [JSON.stringify({ type: 'answer', sdp: 42 }), 'INVALID_MESSAGE'],
      [JSON.stringify({ type: 'answer', sdp: 'x'.repeat(MAX_MESSAGE_BYTES) }), 'MESSAGE_TOO_LARGE'],
    ];
    for (const [raw, code] of cases) {
      const parsed = parseClientMessage(raw);
      expect(parsed.ok, raw.slice(0, 60)).toBe(false);
      if (!parsed.ok) expect(parsed.code, raw.slice(0, 60)).toBe(code);
    }
  });

  it('reports which message type an invalid message claimed to be', () => {
    const parsed = parseClientMessage(JSON.stringify({ type: 'answer' }));
    expect(parsed).toMatchObject({ ok: false, code: 'INVALID_MESSAGE', ref: 'answer' });
    if (!parsed.ok) expect(parsed.detail).toContain('sdp');
  });

  it('a room name may be any Unicode up to 128 characters', () => {
    const name = '🎥'.repeat(128); // 256 UTF-16 units, 128 characters
    expect(parseClientMessage(JSON.stringify({ ...join, room: name })).ok).toBe(true);
  });

  it('validates server messages too (the SDK drops invalid ones)', () => {
    expect(parseServerMessage(JSON.stringify({ type: 'participantDisconnected', participantSid: 'PA1' })).ok).toBe(
      true,
    );
    expect(parseServerMessage(JSON.stringify({ type: 'error', code: 'NOPE', message: '' })).ok).toBe(false);
  });

  it('close reasons carry the code first and stay within 123 bytes', () => {
    expect(closeReason('TOKEN_EXPIRED')).toBe('TOKEN_EXPIRED: The access token has expired');
    const long = closeReason('ROOM_MISMATCH', 'é'.repeat(200));
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(123);
    expect(parseCloseReason(long)).toBe('ROOM_MISMATCH');
    expect(parseCloseReason('bye')).toBeUndefined();
  });
});
