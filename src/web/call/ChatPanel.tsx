import { SendHorizontal } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { ChatEntry } from '../../sdk/index.js';

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The room's chat: sender, time, text (as text, never HTML), newest at the bottom. */
export function ChatPanel({ messages, onSend }: { messages: ChatEntry[]; onSend: (text: string) => void }) {
  const [draft, setDraft] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new message is what should scroll the list down.
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [messages]);
  return (
    <div className="chat">
      {messages.length === 0 ? (
        <p className="empty">Messages can be seen by everyone in the call, and by people who join later.</p>
      ) : null}
      <ol className="messages" ref={listRef} aria-live="polite">
        {messages.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows at its end, so an index names one message.
          <li key={`${m.at}-${i}`} className="chat-message">
            <span className="sender">{m.identity}</span>{' '}
            <time dateTime={new Date(m.at).toISOString()}>{time(m.at)}</time>
            <p className="text">{m.text}</p>
          </li>
        ))}
      </ol>
      <form
        className="chat-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!draft.trim()) return;
          onSend(draft);
          setDraft('');
        }}
      >
        <label className="visually-hidden" htmlFor="chat-draft">
          Message
        </label>
        <input
          id="chat-draft"
          value={draft}
          maxLength={2000}
          placeholder="Send a message"
          onChange={(e) => setDraft(e.target.value)}
          autoComplete="off"
          // biome-ignore lint/a11y/noAutofocus: opening the chat is asking to type in it.
          autoFocus
        />
        <button type="submit" className="send-button" aria-label="Send" disabled={!draft.trim()}>
          <SendHorizontal aria-hidden="true" />
        </button>
      </form>
    </div>
  );
}
