import type { RunReporter } from '@nutshell/viz';
import type { Trainer } from '@nutshell/train';

type Subscribe = (type: string, handler: (event: never) => unknown) => unknown;

/**
 * Subscribes a `RunReporter` to a trainer like `reporter.attach(trainer)`, except that the last epoch's report is
 * drawn once instead of twice: `attach` rewrites report.html at every epoch end and again at the fit's end, so a
 * one-epoch run (the main job) rendered every figure and predicted the evaluation samples twice in a row, about
 * 0.8 s each. The last epoch (`epoch + 1 === epochs`) is recorded when the fit ends, just before the final report.
 * Call the returned function before `reporter.flush()` in a `finally`: if the fit failed between the last epoch's
 * end and its own end, it records that epoch so the report still shows it.
 */
export function attachReporter(reporter: RunReporter, trainer: Trainer, epochs: number): () => void {
  let held: { epoch: number; logs: Record<string, number>; lr?: number } | undefined;
  const release = () => {
    if (held) reporter.epochEnd(held);
    held = undefined;
  };
  const on = trainer.on.bind(trainer) as unknown as Subscribe;
  reporter.attach({
    on: (type: string, handler: (event: never) => unknown) => {
      if (type === 'epochEnd')
        return on('epochEnd', (e: { epoch: number; logs: Record<string, number>; lr?: number }) => {
          if (e.epoch + 1 < epochs) return (handler as (e: unknown) => unknown)(e);
          held = e;
          return undefined;
        });
      if (type === 'fitEnd')
        return on('fitEnd', (e: never) => {
          // epochEnd only schedules the write; fitEnd marks it final before it starts: one write, the final one.
          release();
          return handler(e);
        });
      return on(type, handler);
    },
  });
  return release;
}
