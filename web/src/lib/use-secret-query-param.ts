import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * Reads a secret from the address (`?ticket=…`, `?token=…`) once, then removes it from the address
 * bar and the history entry (history.replaceState, through the router), so it is not left in the
 * history, in a bookmark or on a shared screen.
 */
export function useSecretQueryParam(name: string): string | null {
  const location = useLocation();
  const navigate = useNavigate();
  const [value] = useState(() => new URLSearchParams(location.search).get(name));

  useEffect(() => {
    const params = new URLSearchParams(location.search);
    if (!params.has(name)) return;
    params.delete(name);
    const search = params.toString();
    void navigate(
      { pathname: location.pathname, search: search ? `?${search}` : '', hash: location.hash },
      { replace: true, state: location.state },
    );
  }, [name, location, navigate]);

  return value;
}
