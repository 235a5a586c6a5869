import type { ReactNode } from 'react';

/**
 * A round toolbar button: an icon, its accessible name, and the same name as a tooltip on hover
 * and keyboard focus (with its shortcut, if it has one).
 */
export function IconButton(props: {
  label: string;
  icon: ReactNode;
  onClick: () => void;
  /** Shown in the tooltip: "Ctrl+D". */
  shortcut?: string;
  /** A state the button turned off (a muted microphone): shown red, as every call app does. */
  off?: boolean;
  /** On/off buttons whose name stays the same (panels): aria-pressed or aria-expanded. */
  pressed?: boolean;
  expanded?: boolean;
  controls?: string;
  disabled?: boolean;
  className?: string;
  badge?: number;
  id?: string;
}) {
  const tooltip = props.shortcut ? `${props.label} (${props.shortcut})` : props.label;
  return (
    <button
      type="button"
      id={props.id}
      className={`icon-button${props.off ? ' off' : ''}${props.pressed || props.expanded ? ' active' : ''}${props.className ? ` ${props.className}` : ''}`}
      aria-label={props.label}
      aria-pressed={props.pressed}
      aria-expanded={props.expanded}
      aria-controls={props.controls}
      aria-keyshortcuts={props.shortcut?.replace('Ctrl', 'Control')}
      data-tooltip={tooltip}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.icon}
      {props.badge ? (
        <span className="badge" aria-hidden="true">
          {props.badge > 9 ? '9+' : props.badge}
        </span>
      ) : null}
    </button>
  );
}
