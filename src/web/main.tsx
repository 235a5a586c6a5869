import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App';
import './theme.css';
import './ui/ui.css';
import './call/call.css';
import './prejoin/prejoin.css';

// zod would try once whether it may compile its parsers with new Function: the page's CSP says
// no (no 'unsafe-eval'), and Firefox logs the refusal on every load. Plain parsing is enough here.
z.config({ jitless: true });

createRoot(document.getElementById('root')!).render(<App />);
