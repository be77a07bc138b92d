import { z } from 'zod';

// The outer shape of every request Slack sends Debrief. Bolt silently drops a body whose type it
// cannot tell, which would leave the sender waiting; checking the envelope first lets the
// receiver answer 400 with the reason instead.

const ZTeamRef = z.object({ id: z.string().min(1) });

const ZEventEnvelope = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1),
  team_id: z.string().min(1),
  event: z.looseObject({ type: z.string().min(1) }),
});

const ZCommandEnvelope = z.object({
  command: z.string().startsWith('/'),
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  trigger_id: z.string().min(1),
});

const ZInteractionEnvelope = z.object({
  type: z.enum(['block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion']),
  team: ZTeamRef.nullable(),
  user: z.looseObject({ id: z.string().min(1) }),
});

export const ZSlackEnvelope = z.union([ZEventEnvelope, ZCommandEnvelope, ZInteractionEnvelope]);

export function describeEnvelopeProblem(body: unknown): string | null {
  const parsed = ZSlackEnvelope.safeParse(body);
  if (parsed.success) return null;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const firstIssue = parsed.error.issues[0];
  return `not a Slack event, command or interaction (${firstIssue?.message ?? 'unrecognised shape'})`;
}
