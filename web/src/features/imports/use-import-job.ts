import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../lib/api';
import { apiKey, useApiQuery } from '../../lib/query';

/**
 * The flow the registry and the network share: a CSV file is uploaded, the server checks it (in
 * the background for the registry: the job is polled while it runs), the page shows the report,
 * and an administrator applies or discards it; the history lists every file. The pages keep their
 * own wording and reports: this hook holds the server state only.
 */

/** What every import job has (the registry's and the network's views have more). */
export interface ImportJobView {
  id: string;
  status: string;
}

export interface ImportJobOptions<Job extends ImportJobView> {
  /** GET: the history (`{ imports: Job[] }`); POST with the CSV as body (`?fileName=`): a new job. */
  importsPath: string;
  /** The job's own path: GET (its progress), POST `/apply` (`{ allowErrors }`), POST `/discard`. */
  jobPath(id: string): string;
  /** While true, the job is asked for every `pollMs` (a check or an import running on the server). */
  isRunning?(job: Job): boolean;
  pollMs?: number;
}

/**
 * What has just happened to the job the page shows, for its `role="status"` message: the status it
 * reached once it stopped running after an upload or an apply (`checked`, `applied`, `failed`…), or
 * `discarded`. Null while nothing has happened yet or an action is under way.
 */
export type ImportOutcome<Job extends ImportJobView> = Job['status'] | 'discarded';

export interface ImportJob<Job extends ImportJobView> {
  /** The job uploaded in this page (its latest state), null before an upload or after a discard. */
  job: Job | null;
  outcome: ImportOutcome<Job> | null;
  /** Forgets the job shown and the last action's result (a new upload starts). */
  start(): void;
  /** Uploads the file; throws what the server refused (for `useFormSubmit`'s `send`). */
  upload(file: File): Promise<Job>;
  /** Apply the job checked (`allowErrors`: import the valid rows, skip the rejected ones). */
  apply(allowErrors: boolean): void;
  discard(): void;
  /** Apply or discard under way. */
  actionPending: boolean;
  /** Apply or discard refused. */
  actionError: Error | null;
  /** Asking for the progress of a running job failed (polling stops). */
  pollError: Error | null;
}

/** After an upload or an apply, follow the job to its end; after a discard, say so. */
export type Followed = 'none' | 'follow' | 'discarded';

/** What to announce (see ImportOutcome): pure, so it is tested without a browser. */
export function importOutcome<Job extends ImportJobView>(
  after: Followed,
  job: Job | null,
  isRunning: (job: Job) => boolean,
): ImportOutcome<Job> | null {
  if (after === 'discarded') return 'discarded';
  return after === 'follow' && job && !isRunning(job) ? job.status : null;
}

/** When to ask for the job again: every `pollMs` while it runs, never after a failed request. */
export function pollDelay<Job extends ImportJobView>(
  job: Job | undefined,
  failed: boolean,
  isRunning: (job: Job) => boolean,
  pollMs: number,
): number | false {
  return job && !failed && isRunning(job) ? pollMs : false;
}

type Action = { kind: 'apply'; id: string; allowErrors: boolean } | { kind: 'discard'; id: string };

const NEVER_RUNNING = () => false;

export function useImportJob<Job extends ImportJobView>({
  importsPath,
  jobPath,
  isRunning = NEVER_RUNNING,
  pollMs = 700,
}: ImportJobOptions<Job>): ImportJob<Job> {
  const queryClient = useQueryClient();
  const [id, setId] = useState<string | null>(null);
  const [after, setAfter] = useState<Followed>('none');

  // A new file, an import done or discarded: the history has a new line or new counts. Not awaited:
  // the upload's or the action's answer is shown without waiting for the history.
  const invalidateHistory = () => {
    void queryClient.invalidateQueries({ queryKey: apiKey(importsPath), exact: true });
  };

  const path = id === null ? null : jobPath(id);
  const jobQuery = useQuery({
    queryKey: path === null ? ['import-job', 'none'] : apiKey(path),
    queryFn: async ({ signal }) => {
      const next = await api.get<Job>(path ?? '', { signal });
      if (!isRunning(next)) invalidateHistory();
      return next;
    },
    enabled: path !== null,
    // The upload and the actions write the job into the cache: it is asked for only while it runs.
    staleTime: Number.POSITIVE_INFINITY,
    refetchInterval: (query) =>
      pollDelay(query.state.data, query.state.status === 'error', isRunning, pollMs),
  });

  const show = (job: Job) => {
    queryClient.setQueryData(apiKey(jobPath(job.id)), job);
    setId(job.id);
    setAfter('follow');
  };

  const uploadMutation = useMutation({
    mutationFn: (file: File) =>
      api.upload<Job>(`${importsPath}?fileName=${encodeURIComponent(file.name)}`, file, 'text/csv'),
    onSuccess: show,
    // A refused file is in the history too.
    onSettled: invalidateHistory,
  });

  const action = useMutation({
    mutationFn: async (act: Action): Promise<Job | null> => {
      if (act.kind === 'apply') {
        return api.post<Job>(`${jobPath(act.id)}/apply`, { allowErrors: act.allowErrors });
      }
      await api.post<unknown>(`${jobPath(act.id)}/discard`);
      return null;
    },
    onMutate: () => setAfter('none'),
    onSuccess: (next) => {
      if (next) return show(next);
      setId(null);
      setAfter('discarded');
    },
    onSettled: invalidateHistory,
  });

  const job = path === null ? null : (jobQuery.data ?? null);
  const outcome = importOutcome(after, job, isRunning);

  return {
    job,
    outcome,
    start: () => {
      setId(null);
      setAfter('none');
      action.reset();
    },
    upload: (file) => uploadMutation.mutateAsync(file),
    apply: (allowErrors) => {
      if (id !== null && !action.isPending) action.mutate({ kind: 'apply', id, allowErrors });
    },
    discard: () => {
      if (id !== null && !action.isPending) action.mutate({ kind: 'discard', id });
    },
    actionPending: action.isPending,
    actionError: action.error,
    pollError: path === null ? null : jobQuery.error,
  };
}

/** The history of the files uploaded (newest first), refreshed by `useImportJob` after each change. */
export function useImportHistory<Job extends ImportJobView>(importsPath: string) {
  return useApiQuery<{ imports: Job[] }>(importsPath);
}
