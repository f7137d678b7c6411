import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running `script` (a URL next to the caller, given without extension) with
 * `workerData`. From source (tests, `npm run dev`) the worker registers tsx's loader first and runs
 * the `.ts` file; from the build it runs the `.js` file.
 */
export function startWorker(callerUrl: string, script: string, workerData: unknown): Worker {
  const fromSource = callerUrl.endsWith('.ts');
  const url = new URL(`${script}${fromSource ? '.ts' : '.js'}`, callerUrl);
  return fromSource
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, {
        eval: true,
        workerData,
      })
    : new Worker(url, { workerData });
}
