/**
 * Runs Huddle and Janus `repeat` times each, alternating, so that a slow spell of the machine does
 * not land on one of them only; gives every run and each server's median (`median` of its runs).
 */
export async function alternate<R>(
  repeat: number,
  huddle: () => Promise<R>,
  janus: (() => Promise<R>) | undefined,
  median: (runs: R[]) => R,
): Promise<{ huddle: R; janus: R | undefined; runs: Array<{ server: 'huddle' | 'janus'; result: R }> }> {
  const huddleRuns: R[] = [];
  const janusRuns: R[] = [];
  for (let run = 0; run < repeat; run++) {
    huddleRuns.push(await huddle());
    if (janus) janusRuns.push(await janus());
  }
  return {
    huddle: median(huddleRuns),
    janus: janusRuns.length > 0 ? median(janusRuns) : undefined,
    runs: [
      ...huddleRuns.map((result) => ({ server: 'huddle' as const, result })),
      ...janusRuns.map((result) => ({ server: 'janus' as const, result })),
    ],
  };
}
