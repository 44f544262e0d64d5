import { useQueryClient } from '@tanstack/react-query';
import { isStaffClaimsQueryKey } from './claims-backoffice-api';

export const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

/** After an action: the claim and the queue are read again. */
export function useStaffClaimChange() {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ predicate: (q) => isStaffClaimsQueryKey(q.queryKey) });
  };
}
