/** The progress bar of input commands: cli-progress on stderr, only when stderr is a terminal. */
import cliProgress from 'cli-progress';
import { basename } from 'node:path';

export interface Progress {
  start(total: number): void;
  update(done: number, path: string): void;
  stop(): void;
}

export function createProgress(command: string, stream: NodeJS.WritableStream = process.stderr): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${command} {bar} {percentage}% | {value}/{total} files | {eta_formatted} | {file}`,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 50,
      fps: 5,
      stream,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    start(total) {
      if (started) return;
      started = true;
      bar.start(total, 0, { file: '' });
    },
    update(done, path) {
      if (!started || stopped) return;
      // Only the file name: long paths would wrap the line and break the redraw.
      bar.update(done, { file: basename(path).slice(0, 40) });
    },
    stop() {
      if (!started || stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
