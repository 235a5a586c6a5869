import { runScenario } from '../../harness/lab';
import * as scenarios from '../../harness/lab-scenarios';
import { startServer } from '../../harness/server';

const server = await startServer({
  HUDDLE_WORKERS: '1',
  HOST: '0.0.0.0',
  HUDDLE_DEBUG_DOWNLINK: '1',
  ...(process.env.EXTRA ? JSON.parse(process.env.EXTRA) : {}),
});
try {
  const pick = (
    scenarios as unknown as Record<
      string,
      (t: { warmupSeconds: number; seconds: number }) => import('../../harness/lab').LabScenario
    >
  )[process.env.SCENARIO ?? 'thinDownlink']!;
  const run = await runScenario(
    pick({ warmupSeconds: Number(process.env.W ?? 15), seconds: Number(process.env.S ?? 30) }),
    'huddle',
    server,
  );
  console.log(JSON.stringify(run.sent));
  console.log(JSON.stringify(run.sent));
  for (const v of run.views)
    console.log(
      `${v.viewer} <- ${v.from}: fps ${v.fps.toFixed(1)} frozen ${(v.frozen * 100).toFixed(1)}% ${v.width}x${v.height} ${v.kbps.toFixed(0)}kbps kf ${v.keyframes} lost ${v.lost} nacks ${v.nacks} plis ${v.plis}`,
    );
} finally {
  (await import('node:fs')).writeFileSync('/tmp/lab-server.log', server.output());
  await server.stop();
}
