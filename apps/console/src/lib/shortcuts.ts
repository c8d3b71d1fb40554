import { useEffect, useRef } from 'react';

/**
 * Single-key shortcuts (j, k, c, r, n, ?, Enter, Escape) outside text fields, like Linear's and
 * Chatwoot's triage keys. No Alt/AltGr combinations: they type letters on Polish and other
 * keyboards. `mod+Enter` (Ctrl or ⌘) is the one chord, and it also works inside text fields.
 */
export type ShortcutMap = Readonly<Record<string, (event: KeyboardEvent) => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    target.getAttribute('role') === 'combobox'
  );
}

function keyOf(event: KeyboardEvent): string | undefined {
  if (event.altKey) {
    return undefined;
  }
  const mod = event.ctrlKey || event.metaKey;
  if (mod) {
    return event.key === 'Enter' ? 'mod+Enter' : undefined;
  }
  return event.key;
}

/** Binds shortcuts while the component is mounted. A dialog that is open takes precedence. */
export function useShortcuts(shortcuts: ShortcutMap, enabled = true): void {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });
  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) {
        return;
      }
      const key = keyOf(event);
      if (!key) {
        return;
      }
      if (key !== 'mod+Enter' && key !== 'Escape' && isTyping(event.target)) {
        return;
      }
      if (key !== 'Escape' && document.querySelector('[role="dialog"][aria-modal="true"]')) {
        return;
      }
      const handler = latest.current[key];
      if (handler) {
        event.preventDefault();
        handler(event);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
