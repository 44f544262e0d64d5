import { describe, expect, it } from 'vitest';
import { importOutcome, pollDelay } from './use-import-job';

type Job = { id: string; status: 'checking' | 'checked' | 'applying' | 'applied' | 'failed' };
const running = (job: Job) => job.status === 'checking' || job.status === 'applying';
const job = (status: Job['status']): Job => ({ id: 'j1', status });

describe('importOutcome', () => {
  it('says nothing while the job runs, then the status it reached', () => {
    expect(importOutcome('follow', job('checking'), running)).toBeNull();
    expect(importOutcome('follow', job('checked'), running)).toBe('checked');
    expect(importOutcome('follow', job('applying'), running)).toBeNull();
    expect(importOutcome('follow', job('applied'), running)).toBe('applied');
    expect(importOutcome('follow', job('failed'), running)).toBe('failed');
  });

  it('says nothing before an upload or while an action is under way, and "discarded" after a discard', () => {
    expect(importOutcome('none', job('checked'), running)).toBeNull();
    expect(importOutcome('follow', null, running)).toBeNull();
    expect(importOutcome('discarded', null, running)).toBe('discarded');
  });
});

describe('pollDelay', () => {
  it('asks again only while the job runs and the last request answered', () => {
    expect(pollDelay(job('checking'), false, running, 700)).toBe(700);
    expect(pollDelay(job('applying'), false, running, 700)).toBe(700);
    expect(pollDelay(job('checked'), false, running, 700)).toBe(false);
    expect(pollDelay(job('checking'), true, running, 700)).toBe(false);
    expect(pollDelay(undefined, false, running, 700)).toBe(false);
  });
});
