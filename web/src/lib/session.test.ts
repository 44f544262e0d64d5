import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '#contracts/auth.js';
import { activeState, afterActivity, countsAsActivity, memberOwns, parseLoginNotice } from './session';
import { staffCallCountsAsActivity, staffOwns } from './staff-session';

const NOW = Date.parse('2026-05-04T10:00:00Z');
const info: SessionInfo = {
  mustChangePassword: false,
  idleExpiresAt: '2026-05-04T10:30:00.000Z',
  absoluteExpiresAt: '2026-05-04T18:00:00.000Z',
  idleTimeoutSeconds: 1800,
};

describe('session deadlines', () => {
  it('places the expiries on the local clock', () => {
    const state = activeState(info, NOW);
    expect(state.idleDeadline).toBe(NOW + 30 * 60_000);
    expect(state.absoluteDeadline).toBe(Date.parse(info.absoluteExpiresAt));
  });

  it('moves the idle deadline forward after activity, a minute short, never past the absolute one', () => {
    const state = activeState(info, NOW);
    const later = NOW + 10 * 60_000;
    expect(afterActivity(state, later).idleDeadline).toBe(later + 29 * 60_000);
    expect(afterActivity(state, NOW).idleDeadline).toBe(state.idleDeadline);
    const nearEnd = Date.parse(info.absoluteExpiresAt) - 5 * 60_000;
    expect(afterActivity(state, nearEnd).idleDeadline).toBe(Date.parse(info.absoluteExpiresAt));
  });

  it('counts member calls as activity, not public forms or the auth calls', () => {
    expect(countsAsActivity('/api/v1/me')).toBe(true);
    expect(countsAsActivity('/api/v1/claims?page=2')).toBe(true);
    expect(countsAsActivity('/api/v1/auth/session/extend')).toBe(false);
    expect(countsAsActivity('/api/v1/registrations')).toBe(false);
    expect(countsAsActivity('/api/v1/public-config')).toBe(false);
  });
});

describe('parseLoginNotice', () => {
  it('accepts the known notices only', () => {
    expect(parseLoginNotice({ notice: { kind: 'expired' } })).toEqual({ kind: 'expired' });
    expect(parseLoginNotice({ notice: { kind: 'passwordRecovery', email: 'a@b.it' } })).toEqual({
      kind: 'passwordRecovery',
      email: 'a@b.it',
    });
    expect(parseLoginNotice({ notice: { kind: 'passwordRecovery' } })).toBeNull();
    expect(parseLoginNotice({ notice: 'hello' })).toBeNull();
    expect(parseLoginNotice(null)).toBeNull();
  });
});

describe('member and staff sessions', () => {
  it('keeps the back office calls out of the member session', () => {
    expect(memberOwns('/api/v1/me')).toBe(true);
    expect(memberOwns('/api/v1/staff/audit-events')).toBe(false);
    expect(countsAsActivity('/api/v1/staff/audit-events')).toBe(false);
    expect(staffOwns('/api/v1/staff/audit-events?limit=10')).toBe(true);
    expect(staffOwns('/api/v1/me')).toBe(false);
    expect(staffOwns('/api/v1/staff/enrolment/start')).toBe(false);
    expect(staffCallCountsAsActivity('/api/v1/staff/audit-events')).toBe(true);
    expect(staffCallCountsAsActivity('/api/v1/staff/auth/session')).toBe(false);
  });
});
