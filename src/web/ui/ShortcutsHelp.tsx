import { Dialog } from './Dialog';
import { SHORTCUT_HELP, SHORTCUTS } from './shortcuts';

/** The keyboard shortcuts, listed: what the '?' key and the toolbar's keyboard button open. */
export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" open={open} onClose={onClose}>
      <dl className="shortcuts">
        {SHORTCUT_HELP.map(([action, what]) => (
          <div key={action} className="shortcut">
            <dt>
              {SHORTCUTS[action].split('+').map((key) => (
                <kbd key={key}>{key}</kbd>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">
        On a Mac, Cmd works for Ctrl. Tab moves between the controls; Escape closes panels and dialogs.
      </p>
    </Dialog>
  );
}
