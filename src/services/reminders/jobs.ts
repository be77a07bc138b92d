import type { z } from 'zod';
import type { TLogger } from '../../lib/logger';
import type { TRepositories } from '../../repositories';
import type { TJobPayload } from '../../repositories/scheduledJobs';
import type { TSlackClients } from '../../slack/clients';

// The contract between the scheduler's job runner and the services that do the work of a job.

/** What running a job came to. */
export type TJobResult =
  /** Finished (sent, or no longer needed); the outcome is stored for whoever looks at the row. */
  | { done: string }
  /** Due again later with a new payload (the next reminder of a series). */
  | { rescheduleAt: Date; payload: TJobPayload };

export interface TJobContext<TPayload> {
  id: string;
  key: string;
  workspaceId: string;
  payload: TPayload;
  /** Claims so far, this one included. */
  attempts: number;
}

/** Runs the jobs of one kind. `run` gets a payload already checked against `payloadSchema`. */
export interface TJobHandler<TPayload> {
  kind: string;
  payloadSchema: z.ZodType<TPayload>;
  run(job: TJobContext<TPayload>, now: Date): Promise<TJobResult>;
}

/** A failure that retrying cannot fix (the person left the workspace): the job ends as failed at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** What reminder jobs need. Clients are per workspace: with OAuth installs each has its own token. */
export interface TReminderDeps {
  repos: TRepositories;
  logger: TLogger;
  slackClients: TSlackClients;
}
