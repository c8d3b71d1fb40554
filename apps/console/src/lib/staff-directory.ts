import { useQuery } from '@tanstack/react-query';
import type { StaffDirectoryEntry, StaffMember } from '../types/api';
import { api } from './api-client';

export const staffKeys = {
  directory: () => ['staff', 'directory'] as const,
};

/**
 * Staff names for assignee and author labels, from `GET /staff/directory` (every staff role:
 * the colleagues who share a realm with the GM). `role` is kept for callers; all roles read it.
 */
export function useStaffNames(_role: StaffMember['role']): ReadonlyMap<string, string> {
  const { data } = useQuery({
    queryKey: staffKeys.directory(),
    queryFn: ({ signal }) => api<StaffDirectoryEntry[]>('GET', '/staff/directory', { signal }),
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
