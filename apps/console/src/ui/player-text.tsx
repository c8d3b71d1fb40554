import { visibleParts } from '../lib/visible-text';
import classes from './ui.module.css';

interface PlayerTextProps {
  readonly value: string | null | undefined;
  /** Keeps line breaks (descriptions, messages); names and subjects are single-line. */
  readonly multiline?: boolean;
  readonly fallback?: string;
}

/**
 * Renders a player-supplied string as text only. Hidden characters (zero-width, bidi controls,
 * control characters) show as `⟨U+202E⟩` with their name on hover, and the text is isolated
 * (`<bdi>`), so right-to-left text cannot reorder the console around it.
 */
export function PlayerText({ value, multiline = false, fallback = '—' }: PlayerTextProps) {
  if (value === null || value === undefined || value === '') {
    return <span className={classes.muted}>{fallback}</span>;
  }
  const parts = visibleParts(value, { multiline });
  return (
    <bdi className={multiline ? classes.multiline : undefined}>
      {parts.map((part, index) =>
        part.kind === 'text' ? (
          part.text
        ) : (
          <abbr
            key={index}
            className={classes.escape}
            title={`${part.code} ${part.name} (hidden character in the player's text)`}
          >
            {`⟨${part.code}⟩`}
          </abbr>
        ),
      )}
    </bdi>
  );
}

/** A player's display name, or their account id when they have none. */
export function PlayerName({
  player,
}: {
  readonly player: { readonly accountId: string; readonly displayName: string | null } | null;
}) {
  if (!player) {
    return <span className={classes.muted}>unknown player</span>;
  }
  return <PlayerText value={player.displayName ?? player.accountId} />;
}
