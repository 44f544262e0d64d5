import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './audit.service.js';

const at = { occurredAt: '2026-08-03T08:00:00.000Z', id: '0190a000-0000-7000-8000-00000000000a' };

describe('audit page cursors', () => {
  it('carry the direction and the position, opaque and URL-safe', () => {
    for (const direction of ['older', 'newer'] as const) {
      const cursor = encodeCursor(direction, at);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cursor).not.toContain(at.id);
      expect(decodeCursor(cursor)).toEqual({ direction, at });
    }
  });

  it('refuse anything else', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const bad of [
      '',
      'not a cursor',
      'a+b/c=',
      b64('o|2026-08-03T08:00:00.000Z'),
      b64(`x|${at.occurredAt}|${at.id}`),
      b64(`o|2026-08-03 08:00:00|${at.id}`),
      b64(`o|2026-13-45T08:00:00.000Z|${at.id}`),
      b64(`o|${at.occurredAt}|${at.id.toUpperCase()}`),
      b64(`o|${at.occurredAt}|${at.id}|extra`),
    ])
      expect(decodeCursor(bad), bad).toBeNull();
  });
});
