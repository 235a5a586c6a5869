/** The network lab's scenarios, shared by `npm run bench:network` and the suite's short version. */
import type { LabScenario } from './lab';
import type { CrowdScenario } from './lab-crowd';

export interface ScenarioTiming {
  warmupSeconds: number;
  seconds: number;
}

/** A room of eight: one person behind a 2 Mbit/s downlink watching the seven others' cameras. */
export const roomOfEight = (t: ScenarioTiming, kbit = 2000): CrowdScenario => ({
  name: `room-of-8-down-${kbit}`,
  publishers: 7,
  link: { down: { kbit } },
  ...t,
});

/** A publisher behind a 500 kbit/s uplink, watched by two people on good links. */
export const thinUplink = (t: ScenarioTiming, kbit = 500): LabScenario => ({
  name: `uplink-${kbit}`,
  people: [
    { name: 'Pub', camera: 'lab', link: { up: { kbit } } },
    { name: 'Viewer 1', camera: 'none' },
    { name: 'Viewer 2', camera: 'none' },
  ],
  judged: ['Pub'],
  ...t,
});

/** One receiver behind a 700 kbit/s downlink watching three publishers on good links. */
export const thinDownlink = (t: ScenarioTiming, kbit = 700): LabScenario => ({
  name: `downlink-${kbit}`,
  people: [
    { name: 'Pub 1', camera: 'lab' },
    { name: 'Pub 2', camera: 'lab' },
    { name: 'Pub 3', camera: 'lab' },
    { name: 'Receiver', camera: 'none', link: { down: { kbit } } },
  ],
  judged: ['Pub 1', 'Pub 2', 'Pub 3'],
  ...t,
});

/** A publisher watched by two people on good links and one whose link loses packets both ways. */
export const lossyViewer = (t: ScenarioTiming, percent = 5): LabScenario => ({
  name: `lossy-viewer-${percent}`,
  people: [
    { name: 'Pub', camera: 'lab' },
    { name: 'Viewer 1', camera: 'none' },
    { name: 'Viewer 2', camera: 'none' },
    { name: 'Lossy', camera: 'none', link: { loss: { up: percent, down: percent } } },
  ],
  judged: ['Pub'],
  ...t,
});

/** A publisher whose uplink loses packets, watched by two people on good links: the SFU asks it again (NACK). */
export const lossyPublisher = (t: ScenarioTiming, percent = 3): LabScenario => ({
  name: `lossy-uplink-${percent}`,
  people: [
    { name: 'Pub', camera: 'lab', link: { loss: { up: percent } } },
    { name: 'Viewer 1', camera: 'none' },
    { name: 'Viewer 2', camera: 'none' },
  ],
  judged: ['Pub'],
  ...t,
});

/** The first scenario with nothing shaped: if this freezes, the machine is the bottleneck, not the link. */
export const control = (t: ScenarioTiming): LabScenario => ({
  name: 'control',
  people: [
    { name: 'Pub', camera: 'lab', link: {} },
    { name: 'Viewer 1', camera: 'none' },
    { name: 'Viewer 2', camera: 'none' },
  ],
  judged: ['Pub'],
  ...t,
});
