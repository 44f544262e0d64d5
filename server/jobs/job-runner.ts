import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { ScheduledJobsRepository } from './scheduled-jobs.repository.js';

const MINUTE = 60_000;

/** A periodic job. Its `run` must be safe to repeat: a run cut short is run again later. */
export interface ScheduledJob {
  /** Stable name: the primary key of its row in `scheduled_jobs`. */
  name: string;
  /** Time from the end of one run to the next. */
  everyMs: number;
  /** How long a claim holds; longer than a run can take (default 10 minutes). */
  leaseMs?: number;
  run(now: Date): Promise<void>;
}

export interface JobRunnerOptions {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  /** How often the runner looks for due jobs (default one minute). */
  pollMs?: number;
  onRun?: (job: string, result: 'ok' | 'failed') => void;
}

/**
 * Runs periodic jobs exactly once across instances (decision 029). Every instance checks each
 * job's row now and then; the one whose conditional UPDATE moves the lease forward runs the job,
 * the others see no row changed. Due times follow the app's clock, so tests move time and call
 * `runDue()`. A job that fails is tried again after five minutes at most; one whose instance died
 * is taken by another when the lease ends.
 */
export class JobRunner {
  /** Identifies this process's claims in `locked_by`: random, nothing about the host. */
  readonly id = randomUUID();
  private readonly repository = new ScheduledJobsRepository();
  private readonly jobs: ScheduledJob[] = [];
  private readonly ensured = new Set<string>();
  private readonly pollMs: number;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> | undefined;

  constructor(private readonly o: JobRunnerOptions) {
    this.pollMs = o.pollMs ?? MINUTE;
  }

  add(job: ScheduledJob): void {
    if (this.jobs.some((j) => j.name === job.name)) throw new Error(`job ${job.name} added twice`);
    this.jobs.push(job);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  /** Stops checking and waits for a run under way. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** One check: runs every due job this instance manages to claim; returns their names. */
  async runDue(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs) if (await this.runIfDue(job)) ran.push(job.name);
    return ran;
  }

  private async runIfDue(job: ScheduledJob): Promise<boolean> {
    const { db, clock, log } = this.o;
    const now = clock.now();
    if (!this.ensured.has(job.name)) {
      // A new job runs at the first check.
      await this.repository.ensure(db, job.name, now.toISOString());
      this.ensured.add(job.name);
    }
    const leaseUntil = new Date(now.getTime() + (job.leaseMs ?? 10 * MINUTE)).toISOString();
    if (!(await this.repository.claim(db, job.name, now.toISOString(), leaseUntil, this.id))) return false;
    let error: string | null = null;
    try {
      await job.run(now);
    } catch (err) {
      error = err instanceof Error ? err.name : 'unknown';
      // The type and the stack frames only: a message can quote the data that caused it.
      const frames = err instanceof Error ? err.stack?.split('\n').slice(1).join('\n') : undefined;
      log.error({ job: job.name, err: { type: error, stack: frames } }, 'scheduled job failed');
    }
    const end = clock.now();
    const wait = error === null ? job.everyMs : Math.min(job.everyMs, 5 * MINUTE);
    const kept = await this.repository.finish(db, job.name, this.id, {
      at: end.toISOString(),
      nextRunAt: new Date(end.getTime() + wait).toISOString(),
      error,
    });
    if (!kept) log.warn({ job: job.name }, 'scheduled job outlived its lease');
    this.o.onRun?.(job.name, error === null ? 'ok' : 'failed');
    return true;
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    this.pass = this.runDue().catch((err: unknown) => {
      this.o.log.error({ err: { type: (err as Error)?.name } }, 'scheduled jobs check failed');
    });
    await this.pass;
    this.pass = undefined;
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }
}
