import { useCallback, useRef, useState } from 'react';

export interface Toast {
  id: number;
  text: string;
}

const SHOWN_MS = 4000;

/** Short messages that come and go by themselves: joins, leaves, a copied link. */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const show = useCallback((text: string) => {
    const id = next.current++;
    // Three at most: a burst of joins should not cover the call.
    setToasts((all) => [...all.slice(-2), { id, text }]);
    setTimeout(() => setToasts((all) => all.filter((t) => t.id !== id)), SHOWN_MS);
  }, []);
  return { toasts, show };
}

export function Toasts({ toasts }: { toasts: Toast[] }) {
  return (
    <output className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast">
          {toast.text}
        </div>
      ))}
    </output>
  );
}
