import { X } from 'lucide-react';
import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A modal dialog on the browser's own <dialog>: focus moves into it and back, Escape and the
 * close button close it, the rest of the page is inert meanwhile.
 */
export function Dialog(props: { title: string; open: boolean; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is the mouse's Escape, which the dialog already handles.
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onClose={props.onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === ref.current) props.onClose();
      }}
    >
      <div className="dialog-content">
        <header className="dialog-header">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" className="close-button" aria-label="Close" onClick={props.onClose}>
            <X aria-hidden="true" />
          </button>
        </header>
        {props.open ? props.children : null}
      </div>
    </dialog>
  );
}
