import { QueryClient, QueryClientProvider, type UseQueryOptions, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from './api';

/**
 * Server state in the web app (loading, errors, caching, polling, invalidation) goes through one
 * TanStack Query client. A failed load is shown with "RIPROVA" rather than retried behind the
 * user's back, and nothing reloads on window focus: the pages behave as they did by hand.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
    mutations: { retry: false },
  },
});

export function QueryProvider({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}

/** The cache holds personal and health data: it is emptied whenever a session ends in this tab. */
export function forgetServerState(): void {
  queryClient.clear();
}

/** The query key of a GET of `path`: every page that reads the same path shares the answer. */
export const apiKey = (path: string) => ['api', path] as const;

/** GETs `path` through the API client (errors as `ApiError`), cancelled when no longer needed. */
export function useApiQuery<T>(
  path: string,
  options: Omit<UseQueryOptions<T, Error, T, readonly unknown[]>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery({
    queryKey: apiKey(path),
    queryFn: ({ signal }) => api.get<T>(path, { signal }),
    ...options,
  });
}
