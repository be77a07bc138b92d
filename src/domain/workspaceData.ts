// Words for what a workspace's data export or delete held.

const COUNT_LABELS: Array<[key: string, one: string, many: string]> = [
  ['deals', 'lost deal', 'lost deals'],
  ['retros', 'retro', 'retros'],
  ['debriefs', 'debrief', 'debriefs'],
  ['perspectives', 'perspective', 'perspectives'],
  ['threadReplies', 'thread reply', 'thread replies'],
  ['retroOutcomes', 'outcome', 'outcomes'],
  ['lessons', 'lesson', 'lessons'],
  ['actionItems', 'action item', 'action items'],
  ['crmConnections', 'CRM connection', 'CRM connections'],
  ['scheduledJobs', 'reminder', 'reminders'],
  ['digestRuns', 'digest', 'digests'],
];

/** "3 lost deals, 3 retros, 2 debriefs" for the kinds people know; "no retros" when all are 0. */
export function describeCounts(counts: Partial<Record<string, number>>): string {
  const parts = COUNT_LABELS.flatMap(([key, one, many]) => {
    const count = counts[key] ?? 0;
    return count > 0 ? [`${count.toLocaleString('en-US')} ${count === 1 ? one : many}`] : [];
  });
  return parts.length > 0 ? parts.join(', ') : 'no retros';
}
