/**
 * The README's picture of a three-person call: real Chromium pages with coloured fake cameras,
 * Cal speaking (synthesized speech), a chat message. Run: npm run build && npx tsx scripts/readme-screenshot.ts
 */
import { startCall } from '../harness/call';
import { eventually } from '../harness/call-page';

const viewport = { width: 1000, height: 760 };
const call = await startCall({
  server: { HUDDLE_WORKERS: '1', HUDDLE_LOG_LEVEL: 'warn' },
  room: 'Team stand-up',
  camera: { width: 640, height: 480 },
  people: [
    { name: 'Ana', colour: 'red', audio: 'silence', viewport },
    { name: 'Bea', colour: 'green', audio: 'silence', viewport },
    { name: 'Cal', colour: 'blue', audio: 'speech', viewport },
  ],
});
try {
  const { Ana: ana, Bea: bea } = call.pages;
  await bea.getByLabel('Message').fill('Morning! <b>Agenda</b> is in the doc.');
  await bea.getByRole('button', { name: 'Send' }).click();
  await eventually(
    () => ana.locator('.participant.remote.speaking').count(),
    (n) => n === 1,
    'Cal highlighted',
  );
  await eventually(
    () => ana.locator('.chat-message').count(),
    (n) => n === 1,
    'the chat message',
  );
  await ana.screenshot({ path: 'docs/call.png' });
} finally {
  await call.close();
}
console.log('wrote docs/call.png');
