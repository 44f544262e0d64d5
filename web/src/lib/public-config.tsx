import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import type { PublicConfigResponse } from '#contracts/public-config.js';
import { api } from './api';

/**
 * `GET /api/v1/public-config`: what any visitor may know about this installation (support contacts;
 * `mailbox`: the server shows the e-mails it would send at `/dev/mailbox`; `demo`: fictitious data).
 */
export type PublicConfig = PublicConfigResponse;

export type PublicConfigState =
  | { status: 'loading' }
  | { status: 'ready'; config: PublicConfig }
  | { status: 'error' };

export const PUBLIC_CONFIG_PATH = '/api/v1/public-config';

/** Checks the shape at run time: a half-deployed server must not crash the layout. */
export function parsePublicConfig(value: unknown): PublicConfig | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { supportEmail, supportPhone, mailbox, demo } = value as Record<string, unknown>;
  if (typeof supportEmail !== 'string' || typeof supportPhone !== 'string') return undefined;
  return { supportEmail, supportPhone, mailbox: mailbox === true, demo: demo === true };
}

const PublicConfigContext = createContext<PublicConfigState>({ status: 'loading' });

export function PublicConfigProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<PublicConfigState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<unknown>(PUBLIC_CONFIG_PATH, { signal: controller.signal })
      .then((body) => {
        const config = parsePublicConfig(body);
        setState(config ? { status: 'ready', config } : { status: 'error' });
      })
      .catch(() => {
        if (!controller.signal.aborted) setState({ status: 'error' });
      });
    return () => controller.abort();
  }, []);

  return <PublicConfigContext.Provider value={state}>{children}</PublicConfigContext.Provider>;
}

export function usePublicConfig(): PublicConfigState {
  return useContext(PublicConfigContext);
}
