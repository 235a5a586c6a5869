/** WAV files for Chromium's fake microphone: real synthesized speech, or silence. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ESPEAK = '/usr/bin/espeak-ng';

/** Speech from Debian's espeak-ng. */
export function writeSpeechWav(dir: string): string {
  const file = join(dir, 'speech.wav');
  const text =
    'Good morning everyone. Let us go through the plan for today, one item after another, and then take questions. '.repeat(
      3,
    );
  execFileSync(ESPEAK, ['-w', file, '-s', '150', text]);
  return file;
}

/** One second of 16-bit mono silence at 48 kHz. */
export function writeSilenceWav(dir: string): string {
  const rate = 48000;
  const data = Buffer.alloc(rate * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  const file = join(dir, 'silence.wav');
  writeFileSync(file, Buffer.concat([header, data]));
  return file;
}
