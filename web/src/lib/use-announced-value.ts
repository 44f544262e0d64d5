import { useEffect, useState } from 'react';

/**
 * Returns `value` a moment after the first render: a live region that already holds its text when
 * the page appears is not announced, one that receives it afterwards is.
 */
export function useAnnouncedValue<T>(value: T | null, delayMs = 150): T | null {
  const [shown, setShown] = useState<T | null>(null);
  useEffect(() => {
    const id = window.setTimeout(() => setShown(value), delayMs);
    return () => window.clearTimeout(id);
  }, [value, delayMs]);
  return shown;
}
