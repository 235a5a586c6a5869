import { createRoot } from 'react-dom/client';
import { App } from './App';
import './theme.css';
import './ui/ui.css';
import './call/call.css';
import './prejoin/prejoin.css';

createRoot(document.getElementById('root')!).render(<App />);
