import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type MessageVisibility,
  type TicketPriority,
  type TicketStatus,
} from '@gmdesk/contracts';
import {
  ActionIcon,
  Alert,
  Avatar,
  Badge,
  Button,
  Group,
  ScrollArea,
  Select,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useMe } from '../../../app/session';
import { errorMessage } from '../../../lib/api-client';
import { useShortcuts } from '../../../lib/shortcuts';
import { assigneeLabel, useStaffNames } from '../../../lib/staff-directory';
import type { Ticket, TicketDetail } from '../../../types/api';
import { BrigadingBadge, PriorityLabel, SlaBadge } from '../../../ui/badges';
import { RelativeTime } from '../../../ui/clock';
import { IconArrowLeft, IconFlag, IconLifebuoy, IconUserCheck } from '../../../ui/icons';
import { PlayerName, PlayerText } from '../../../ui/player-text';
import { assign, caseKeys, changePriority, changeStatus, fetchTicket } from '../api';
import { usePresence } from '../hooks/use-presence';
import { useTyping } from '../hooks/use-typing';
import classes from './case.module.css';
import { Composer } from './composer';
import { Conversation } from './conversation';
import { ReportsPanel } from './reports-panel';
import { TypingIndicator } from './typing-indicator';

export interface CaseViewProps {
  readonly ticketId: string;
  /** The player sidebar, composed in by the route (features do not import each other). */
  readonly sidebar?: (ticket: TicketDetail) => ReactNode;
}

function initials(name: string): string {
  return (
    name
      .split(/\s+/)
      .filter(Boolean)
      .map((word) => [...word][0] ?? '')
      .join('')
      .slice(0, 2)
      .toUpperCase() || '?'
  );
}

export function CaseView({ ticketId, sidebar }: CaseViewProps) {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const staffNames = useStaffNames(me.role);
  const viewers = usePresence(ticketId);
  const typists = useTyping(ticketId, me.id);
  const composer = useRef<HTMLTextAreaElement>(null);
  const timelineEnd = useRef<HTMLDivElement>(null);
  const [chosenMode, setMode] = useState<MessageVisibility | undefined>(undefined);
  const query = useQuery({
    queryKey: caseKeys.detail(ticketId),
    queryFn: ({ signal }) => fetchTicket(ticketId, signal),
  });
  const ticket = query.data;
  // Cases have no requester: a public reply would reach nobody, so they take notes only.
  const canReply = ticket?.kind === 'support' && ticket.requester !== null;
  const mode: MessageVisibility = canReply ? (chosenMode ?? 'public') : 'internal';
  const messageCount = ticket?.messages.length ?? 0;

  useEffect(() => {
    timelineEnd.current?.scrollIntoView({ block: 'end' });
  }, [messageCount]);

  const applyTicket = (updated: Ticket): void => {
    queryClient.setQueryData<TicketDetail>(caseKeys.detail(ticketId), (detail) =>
      detail ? { ...detail, ...updated } : detail,
    );
  };
  const onFailure = (title: string) => (error: unknown) =>
    notifications.show({ color: 'red', title, message: errorMessage(error) });
  const claim = useMutation({
    mutationFn: (assigneeId: string | null) => assign(ticketId, assigneeId),
    onSuccess: applyTicket,
    onError: onFailure('Could not change the assignee'),
  });
  const status = useMutation({
    mutationFn: (next: TicketStatus) => changeStatus(ticketId, next),
    onSuccess: applyTicket,
    onError: onFailure('Could not change the status'),
  });
  const priority = useMutation({
    mutationFn: (next: TicketPriority) => changePriority(ticketId, next),
    onSuccess: applyTicket,
    onError: onFailure('Could not change the priority'),
  });

  const mine = ticket?.assigneeId === me.id;
  const toggleClaim = (): void => {
    if (ticket && !claim.isPending) {
      claim.mutate(mine ? null : me.id);
    }
  };
  const write = (next: MessageVisibility): void => {
    if (next === 'public' && !canReply) {
      return;
    }
    setMode(next);
    requestAnimationFrame(() => composer.current?.focus());
  };
  const back = (): void => {
    void navigate({ to: '/queue', search: (previous) => previous }).then(() => {
      document.querySelector<HTMLElement>('[role="listbox"][aria-label="Queue"]')?.focus();
    });
  };
  useShortcuts({
    r: () => write('public'),
    n: () => write('internal'),
    c: toggleClaim,
    Escape: (event) => {
      if (event.target instanceof HTMLTextAreaElement) {
        return;
      }
      back();
    },
  });

  if (query.isPending) {
    return (
      <Stack p="lg" gap="sm" aria-busy="true">
        <Skeleton height={28} width="60%" />
        <Skeleton height={16} width="40%" />
        <Skeleton height={120} mt="md" />
      </Stack>
    );
  }
  if (query.isError || !ticket) {
    return (
      <Alert color="red" m="lg" title="This case could not be loaded">
        {errorMessage(query.error)}
      </Alert>
    );
  }

  const staffName = (staffId: string | null | undefined): string =>
    staffId === me.id ? 'You' : (staffId && staffNames.get(staffId)) || 'A GM';
  const otherViewers = viewers.filter((viewer) => viewer.staffId !== me.id);
  const assignee = assigneeLabel(ticket.assigneeId, me.id, staffNames);
  const closed = ticket.status === 'closed';
  const reports = ticket.reports ?? [];
  const KindIcon = ticket.kind === 'moderation' ? IconFlag : IconLifebuoy;

  return (
    <div className={classes.caseRoot}>
      <header className={classes.caseHeader}>
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="md">
          <Group gap="xs" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
            <Tooltip label="Back to the queue (Esc)">
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label="Back to the queue"
                onClick={back}
              >
                <IconArrowLeft size={18} />
              </ActionIcon>
            </Tooltip>
            <div style={{ minWidth: 0 }}>
              <Title order={2} size="h4" className={classes.caseTitle}>
                <PlayerText value={ticket.subject} />
              </Title>
              <Group gap={8} mt={4} wrap="wrap">
                <Badge
                  size="sm"
                  variant="light"
                  color={ticket.kind === 'moderation' ? 'grape' : 'cyan'}
                  leftSection={<KindIcon size={12} />}
                >
                  {ticket.kind === 'moderation' ? 'Case' : 'Support'}
                </Badge>
                <PriorityLabel priority={ticket.priority} />
                <Text size="xs" c="dimmed">
                  {ticket.category} · {ticket.realmId} · opened{' '}
                  <RelativeTime at={ticket.createdAt} />
                </Text>
                {ticket.flags?.includes('possible_brigading') && <BrigadingBadge />}
                {!ticket.firstRespondedAt && ticket.firstResponseDueAt && (
                  <SlaBadge label="First response" dueAt={ticket.firstResponseDueAt} showLabel />
                )}
                {ticket.resolutionDueAt && ticket.status !== 'solved' && !closed && (
                  <SlaBadge label="Resolution" dueAt={ticket.resolutionDueAt} showLabel />
                )}
              </Group>
            </div>
          </Group>
          <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Select
              size="xs"
              w={110}
              aria-label="Status"
              data={TICKET_STATUSES.map((value) => ({ value, label: value }))}
              value={ticket.status}
              allowDeselect={false}
              onChange={(value) => value && status.mutate(value)}
            />
            <Select
              size="xs"
              w={105}
              aria-label="Priority"
              data={TICKET_PRIORITIES.map((value) => ({ value, label: value }))}
              value={ticket.priority}
              allowDeselect={false}
              onChange={(value) => value && priority.mutate(value)}
            />
            <Button
              size="xs"
              variant={mine ? 'light' : 'filled'}
              leftSection={<IconUserCheck size={14} />}
              loading={claim.isPending}
              onClick={toggleClaim}
            >
              {mine ? 'Release (c)' : 'Claim (c)'}
            </Button>
          </Group>
        </Group>
        <Group justify="space-between" mt={6} gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {assignee ? (
              <>
                Assigned to <b>{assignee}</b>
              </>
            ) : (
              'Unassigned'
            )}
          </Text>
          {otherViewers.length > 0 && (
            <Tooltip
              label={`Also viewing: ${otherViewers.map((viewer) => viewer.displayName).join(', ')}`}
            >
              <Group gap={4} wrap="nowrap" aria-label="Also viewing">
                <Avatar.Group spacing="sm">
                  {otherViewers.slice(0, 3).map((viewer) => (
                    <Avatar key={viewer.staffId} size={22} radius="xl" color="teal">
                      {initials(viewer.displayName)}
                    </Avatar>
                  ))}
                </Avatar.Group>
                <Text size="xs" c="teal.8" fw={600}>
                  {otherViewers.length === 1
                    ? `${otherViewers[0].displayName} is also viewing`
                    : `${otherViewers.length} others are viewing`}
                </Text>
              </Group>
            </Tooltip>
          )}
        </Group>
      </header>
      <div className={classes.caseBody}>
        <div className={classes.conversationColumn}>
          <ScrollArea className={classes.timelineScroll} type="auto" offsetScrollbars>
            <div className={classes.timelineInner}>
              <Conversation messages={ticket.messages} staffName={staffName} />
              <div ref={timelineEnd} />
            </div>
          </ScrollArea>
          <div className={classes.composerWrap}>
            <TypingIndicator typists={typists} />
            <Composer
              ref={composer}
              ticketId={ticketId}
              mode={mode}
              onModeChange={write}
              disabled={closed}
              canReply={canReply}
            />
          </div>
        </div>
        <aside className={classes.sidebar} aria-label="Case details">
          <ScrollArea h="100%" type="auto">
            <Stack gap="md" p="md">
              <div>
                <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={6}>
                  {ticket.kind === 'moderation' ? 'Reported player' : 'Player'}
                </Text>
                <Text size="sm" fw={600}>
                  <PlayerName
                    player={
                      (ticket.kind === 'moderation' ? ticket.subjectPlayer : ticket.requester) ??
                      null
                    }
                  />
                </Text>
                {sidebar?.(ticket)}
              </div>
              {ticket.kind === 'moderation' && (
                <div>
                  <Group justify="space-between" mb={6}>
                    <Text size="xs" fw={700} tt="uppercase" c="dimmed">
                      Reports ({reports.length})
                    </Text>
                    <Text size="xs" c="dimmed">
                      {ticket.reporterCount ?? 0} reporters · score {(ticket.score ?? 0).toFixed(1)}
                    </Text>
                  </Group>
                  <ReportsPanel reports={reports} />
                </div>
              )}
            </Stack>
          </ScrollArea>
        </aside>
      </div>
    </div>
  );
}
