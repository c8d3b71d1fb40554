import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

const NowContext = createContext<number>(Date.now());

/** One ticking clock for every countdown on screen (not one timer per row). */
export function ClockProvider({
  children,
  intervalMs = 15_000,
}: {
  readonly children: ReactNode;
  readonly intervalMs?: number;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}

export function useNow(): number {
  return useContext(NowContext);
}

/** "4m", "2h 5m", "3d": compact durations for badges. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) {
    return '<1m';
  }
  if (minutes < 60) {
    return `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    // Minutes matter while the deadline is close; past a few hours they are noise.
    return rest && hours < 3 ? `${hours}h ${rest}m` : `${hours}h`;
  }
  return `${Math.floor(hours / 24)}d`;
}

export function RelativeTime({ at }: { readonly at: string }) {
  const now = useNow();
  const date = new Date(at);
  const ago = now - date.getTime();
  return (
    <time dateTime={at} title={date.toLocaleString()}>
      {ago < 45_000 ? 'just now' : `${formatDuration(ago)} ago`}
    </time>
  );
}
