import { Badge, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import type { Report } from '../../../types/api';
import { RelativeTime } from '../../../ui/clock';
import { IconMapPin } from '../../../ui/icons';
import { PlayerName, PlayerText } from '../../../ui/player-text';
import classes from './case.module.css';

function credibility(weight: number | undefined): { label: string; color: string } {
  if (weight === undefined) {
    return { label: 'unknown', color: 'gray' };
  }
  if (weight >= 0.75) {
    return { label: 'high', color: 'teal' };
  }
  if (weight >= 0.4) {
    return { label: 'medium', color: 'yellow' };
  }
  return { label: 'low', color: 'red' };
}

function Location({ report }: { readonly report: Report }) {
  const { location } = report;
  if (!location) {
    return null;
  }
  const coordinates = [location.x, location.y, location.z]
    .filter((value): value is number => typeof value === 'number')
    .map((value) => value.toFixed(0))
    .join(', ');
  return (
    <Group gap={4} wrap="nowrap">
      <IconMapPin size={12} aria-hidden />
      <Text size="xs" c="dimmed" truncate>
        <PlayerText value={location.zone} />
        {location.instance ? (
          <>
            {' / '}
            <PlayerText value={location.instance} />
          </>
        ) : null}
        {coordinates ? ` (${coordinates})` : ''}
      </Text>
    </Group>
  );
}

export function ReportsPanel({ reports }: { readonly reports: readonly Report[] }) {
  return (
    <Stack gap="xs" aria-label="Reports">
      {reports.map((report) => {
        const cred = credibility(report.reporterWeight);
        return (
          <Paper key={report.id} withBorder radius="md" p="sm" className={classes.report}>
            <Group justify="space-between" gap={6} wrap="nowrap" mb={4}>
              <Text size="sm" fw={600} truncate>
                <PlayerName player={report.reporter} />
              </Text>
              <Tooltip
                label={`Reporter credibility ${report.reporterWeight === undefined ? 'unknown' : report.reporterWeight.toFixed(2)} when filed`}
              >
                <Badge size="xs" variant="light" color={cred.color} style={{ flexShrink: 0 }}>
                  {cred.label} credibility
                </Badge>
              </Tooltip>
            </Group>
            <Group gap={6} mb={6}>
              <Badge size="xs" variant="outline" color="gray">
                {report.category}
              </Badge>
              {report.repeatCount > 0 && (
                <Badge size="xs" variant="light" color="orange">
                  repeated ×{report.repeatCount}
                </Badge>
              )}
              <Text size="xs" c="dimmed">
                <RelativeTime at={report.occurredAt} />
              </Text>
            </Group>
            <Text size="sm" className={classes.body} mb={6}>
              <PlayerText value={report.description} multiline />
            </Text>
            <Location report={report} />
          </Paper>
        );
      })}
    </Stack>
  );
}
