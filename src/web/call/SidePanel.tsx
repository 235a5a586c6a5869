import { X } from 'lucide-react';
import type { ReactNode } from 'react';

/** The chat or the participants list: beside the stage on a wide screen, a full-height drawer on a phone. */
export function SidePanel(props: { title: string; onClose: () => void; children: ReactNode }) {
  return (
    <aside
      id="side-panel"
      className="side-panel"
      aria-label={props.title}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onClose();
      }}
    >
      <header className="panel-header">
        <h2>{props.title}</h2>
        <button
          type="button"
          className="close-button"
          aria-label={`Close ${props.title.toLowerCase()}`}
          onClick={props.onClose}
        >
          <X aria-hidden="true" />
        </button>
      </header>
      {props.children}
    </aside>
  );
}
