import { periodContaining, periodOfLabel } from '../../domain/digest/period';
import type { TDigestSettings } from '../../domain/digest/settings';
import type { TLoadDigestDeps } from './loadDigest';
import { loadDigest } from './loadDigest';
import { buildDigestMessages, type TRenderedDigest } from '../../slack/blocks/digest';
import { digestChart } from '../../domain/digest/chart';
import type { TBarChart } from '../../lib/chart/barChart';
import { previewPeriodOf } from './digestSchedule';

export type TPreviewResult =
  | { outcome: 'preview'; periodLabel: string; messages: TRenderedDigest; chart: TBarChart | null }
  /** The named week is not an ISO week, or has not begun. */
  | { outcome: 'bad_period'; problem: string };

/**
 * The digest as it would go out, for one person's eyes (or an operator's terminal): the next one
 * by default, or the named week.
 */
export async function previewDigest(
  deps: TLoadDigestDeps,
  input: { workspaceId: string; settings: TDigestSettings; now: Date; periodLabel: string | null },
): Promise<TPreviewResult> {
  const { settings, now } = input;
  let target: { period: ReturnType<typeof periodContaining>; goesOutAt: Date | null; inProgress: boolean };
  if (input.periodLabel === null) {
    target = previewPeriodOf(now, settings);
  } else {
    const period = periodOfLabel(input.periodLabel, settings.timeZone);
    if (!period) return { outcome: 'bad_period', problem: `\`${input.periodLabel}\` is not a week I know. Write it as an ISO week, e.g. 2026-W47.` };
    if (period.start.getTime() > now.getTime()) return { outcome: 'bad_period', problem: `Week ${period.label} has not begun yet.` };
    target = { period, goesOutAt: null, inProgress: period.label === periodContaining(now, settings.timeZone).label };
  }
  const digest = await loadDigest(deps, { workspaceId: input.workspaceId, period: target.period, now });
  const messages = buildDigestMessages(digest, {
    preview: { channelId: settings.channelId, goesOutAt: target.goesOutAt, inProgress: target.inProgress, paused: !settings.enabled },
  });
  return { outcome: 'preview', periodLabel: target.period.label, messages, chart: digestChart(digest) };
}
