import { Paper, Skeleton, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import classes from './dashboard.module.css';

/** One headline figure with what it means underneath. */
export function StatCard({
  label,
  value,
  hint,
  icon,
  tone = 'calm',
}: {
  readonly label: string;
  readonly value: number | string | undefined;
  readonly hint?: string;
  readonly icon: ReactNode;
  readonly tone?: 'calm' | 'alert';
}) {
  return (
    <Paper withBorder p="md" radius="md" className={classes.card} aria-label={label}>
      <div className={classes.cardHeader}>
        <Text size="xs" c="dimmed" tt="uppercase" fw={650}>
          {label}
        </Text>
        <div className={classes.statIcon} data-tone={tone} aria-hidden>
          {icon}
        </div>
      </div>
      {value === undefined ? (
        <Skeleton h={31} w={80} />
      ) : (
        <div className={classes.statValue} data-tone={tone} data-testid={`stat-${label}`}>
          {value}
        </div>
      )}
      <Text size="xs" c="dimmed" mih={18}>
        {hint ?? ''}
      </Text>
    </Paper>
  );
}

/** The frame every chart sits in: a title, a line on what it shows, optional controls. */
export function ChartCard({
  title,
  description,
  controls,
  className,
  children,
  testId,
}: {
  readonly title: string;
  readonly description?: ReactNode;
  readonly controls?: ReactNode;
  readonly className?: string;
  readonly children: ReactNode;
  readonly testId?: string;
}) {
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      className={`${classes.card} ${className ?? ''}`}
      component="section"
      aria-label={title}
      data-testid={testId}
    >
      <div className={classes.cardHeader}>
        <div>
          <Text fw={650} size="sm">
            {title}
          </Text>
          {description && (
            <Text size="xs" c="dimmed">
              {description}
            </Text>
          )}
        </div>
        {controls}
      </div>
      {children}
    </Paper>
  );
}

export function EmptyChart({ children }: { readonly children: ReactNode }) {
  return <div className={classes.empty}>{children}</div>;
}

/** Legend and tooltip items in the order the series are declared (Recharts sorts by name). */
export function inSeriesOrder(names: readonly string[]) {
  return (item: { dataKey?: unknown }): number => {
    const index = names.indexOf(String(item.dataKey));
    return index === -1 ? names.length : index;
  };
}
