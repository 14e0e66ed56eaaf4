import { SingleBar } from 'cli-progress';
import pc from 'picocolors';

/** Colour and progress bars only for a person at a terminal; pipes and --json get plain, stable text. */
export const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
export const color = pc.createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function startProgress(label: string): Progress {
  if (!interactive) return { update() {}, stop() {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} · {rate}/s · eta {eta}s`, hideCursor: true, clearOnComplete: true, stream: process.stderr }, undefined);
  const started = performance.now();
  let running = false;
  return {
    update(done, total) {
      if (!running) {
        bar.start(total, 0, { rate: '0' });
        running = true;
      }
      bar.setTotal(total);
      bar.update(done, { rate: (done / Math.max(0.001, (performance.now() - started) / 1000)).toFixed(1) });
    },
    stop() {
      if (running) bar.stop();
    },
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
