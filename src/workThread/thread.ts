import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { TLogger } from '../lib/logger';
import { getHeapStatistics } from 'node:v8';
import { Gauge } from 'prom-client';
import { metricsRegistry } from '../lib/metrics';
import { startDebrief } from '../server';
import type { TFromWorkThread, TToWorkThread, TWorkThreadData } from './messages';

// The work thread's entry (see mainSide.ts): Debrief without an HTTP server, acting on the Slack
// requests the main thread answered, and running the outbox and the scheduler.

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('thread.ts runs as a worker thread');
  const post = (message: TFromWorkThread) => port.postMessage(message);
  const data = workerData as TWorkThreadData;
  // Buffers arrive as plain Uint8Arrays.
  const config = { ...data.config, encryptionKeys: data.config.encryptionKeys?.map((key) => Buffer.from(key)) };
  let debrief: Awaited<ReturnType<typeof startDebrief>>;
  try {
    debrief = await startDebrief(config, { role: 'work', peerGroup: data.peerGroup, startScheduler: data.startScheduler, outbox: data.outbox, clientOptions: data.clientOptions });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  lowerThreadPriority(debrief.app.logger);
  // The process metrics are the main thread's; this thread's heap is its own.
  new Gauge({
    name: 'debrief_work_thread_heap_used_bytes',
    help: 'JS heap in use by the work thread (WORK_THREAD); nodejs_heap_size_used_bytes is the main thread',
    registers: [metricsRegistry],
    collect() {
      this.set(getHeapStatistics().used_heap_size);
    },
  });
  port.on('message', (message: TToWorkThread) => {
    switch (message.type) {
      case 'request':
        void debrief.handleHandedOff(message.request).finally(() => post({ type: 'handled' }));
        return;
      case 'wakeOutbox':
        debrief.outbox.wake();
        return;
      case 'metrics':
        void metricsRegistry.getMetricsAsJSON().then((metrics) => post({ type: 'metrics', id: message.id, metrics }));
        return;
      case 'stop':
        void debrief
          .stop()
          .catch((error: unknown) => debrief.app.logger.error('The work thread did not stop cleanly', error))
          .finally(() => {
            post({ type: 'stopped' });
            port.close();
          });
        return;
    }
  });
  post({ type: 'ready' });
}

void main();


/**
 * Runs this thread at the lowest scheduling priority (nice 19) below the main thread, so that when
 * both want the CPU, answering Slack comes first and the work waits a little. Linux only (a thread
 * has its own id there, under /proc/thread-self); elsewhere the thread keeps the process's priority.
 */
function lowerThreadPriority(logger: TLogger): void {
  if (process.platform !== 'linux') return;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(threadId) && threadId !== process.pid) setPriority(threadId, WORK_THREAD_NICENESS);
  } catch (error) {
    logger.warn(`The work thread keeps the process's priority: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const WORK_THREAD_NICENESS = 19;
