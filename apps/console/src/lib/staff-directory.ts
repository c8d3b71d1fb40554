import { useQuery } from '@tanstack/react-query';
import type { StaffMember } from '../types/api';
import { api } from './api-client';

export const staffKeys = {
  directory: () => ['staff', 'directory'] as const,
};

/**
 * Staff names for assignee columns. `GET /staff` is admin-only today, so other roles see "you"
 * or "another GM" until the api offers a staff directory to agents (see the console README).
 */
export function useStaffNames(role: StaffMember['role']): ReadonlyMap<string, string> {
  const { data } = useQuery({
    queryKey: staffKeys.directory(),
    queryFn: ({ signal }) => api<StaffMember[]>('GET', '/staff', { signal }),
    enabled: role === 'admin',
    staleTime: 5 * 60_000,
  });
  return new Map((data ?? []).map((staff) => [staff.id, staff.displayName]));
}

export function assigneeLabel(
  assigneeId: string | null | undefined,
  meId: string,
  names: ReadonlyMap<string, string>,
): string | null {
  if (!assigneeId) {
    return null;
  }
  if (assigneeId === meId) {
    return 'You';
  }
  return names.get(assigneeId) ?? 'Another GM';
}
