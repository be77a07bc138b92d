import type { HomeView, KnownBlock } from '@slack/types';
import { DEFAULT_REASON_CATALOG, reasonLabel } from '../../domain/lossReasons';
import { formatLongDate } from '../../lib/dates';
import { escapeMrkdwn, linkMrkdwn, truncate } from '../../lib/mrkdwn';
import type { TLibraryLesson } from '../../repositories/library';
import type { TLessonGroup, TLossLibrary } from '../../services/lossLibrary';
import { ACTIONS, COMMANDS } from '../ids';
import { LIMITS, context, divider, header, plain, section } from './elements';

// The App Home tab: the loss library. One section per list (not one block per line), so the view
// stays far inside Slack's 100 blocks whatever the data; long lessons are cut to keep every
// section under its 3,000 characters.

const LESSON_MAX = 220;
const NAME_MAX = 80;

const STATUS_LABELS = {
  open: ':hourglass_flowing_sand: waiting for the debrief',
  debriefed: ':memo: debriefed',
  reviewed: ':white_check_mark: reviewed',
  reopened: ':leftwards_arrow_with_hook: reopened',
} as const;

function dealLink(dealName: string, permalink: string | null): string {
  const name = truncate(dealName, NAME_MAX);
  return permalink ? linkMrkdwn(permalink, name) : escapeMrkdwn(name);
}

function lessonLine(lesson: TLibraryLesson, options: { showCompetitor: boolean }): string {
  const from = [dealLink(lesson.dealName, lesson.permalink)];
  if (options.showCompetitor && lesson.competitor) from.push(`lost to ${escapeMrkdwn(truncate(lesson.competitor, NAME_MAX))}`);
  return `• ${escapeMrkdwn(truncate(lesson.text, LESSON_MAX))}  _(${from.join(', ')})_`;
}

function groupSection(title: string, group: TLessonGroup, showCompetitor: boolean): KnownBlock {
  const count = group.total === 1 ? '1 lesson' : `${group.total} lessons`;
  return section([`*${title}* · ${count}`, ...group.lessons.map((lesson) => lessonLine(lesson, { showCompetitor }))].join('\n'));
}

/** Sections fill up to Slack's limit and no further: a list that would not fit is cut short. */
function listSection(lines: string[]): KnownBlock {
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > LIMITS.sectionText - 20) break;
    kept.push(line);
    length += line.length + 1;
  }
  // Lines are short by construction; this only guards against an empty section.
  return section(kept.length > 0 ? kept.join('\n') : truncate(lines[0] ?? ' ', LIMITS.sectionText));
}

export function buildLossLibraryHome(library: TLossLibrary): HomeView {
  const reasons = library.reasons ?? DEFAULT_REASON_CATALOG;
  const blocks: KnownBlock[] = [
    header('Loss library'),
    section(
      `Every lost deal the team looked back on, and what it taught us. Search by word, competitor, reason, rep or date, or type \`${COMMANDS.losses} help\` in any channel.`,
    ),
    {
      type: 'actions',
      block_id: 'library_search',
      elements: [{ type: 'button', action_id: ACTIONS.openSearch, style: 'primary', text: plain('Search past losses', LIMITS.buttonText), value: 'search' }],
    },
  ];

  if (library.myOpenDebriefs.length > 0 || library.myActionItems.length > 0) {
    blocks.push(divider, header('Waiting for you'));
    if (library.myOpenDebriefs.length > 0) {
      blocks.push(
        listSection([
          '*Debriefs to write*',
          ...library.myOpenDebriefs.map((debrief) => `• ${dealLink(debrief.dealName, debrief.permalink)}, lost ${formatLongDate(debrief.lostOn)}`),
        ]),
      );
    }
    if (library.myActionItems.length > 0) {
      blocks.push(
        listSection([
          '*Your action items*',
          ...library.myActionItems.map(
            (item) => `• ${escapeMrkdwn(truncate(item.text, LESSON_MAX))}, due ${formatLongDate(item.dueOn)}  _(${dealLink(item.dealName, item.permalink)})_`,
          ),
        ]),
      );
    }
  }

  blocks.push(divider, header('Start here'));
  if (library.startHere.length > 0) {
    blocks.push(
      context('Lessons the team flagged for anyone new to selling here.'),
      listSection(library.startHere.map((lesson) => lessonLine(lesson, { showCompetitor: true }))),
    );
  } else {
    blocks.push(section('No lessons are flagged for new reps yet. When a retro outcome is recorded, tick *Share with new reps* on the lessons worth knowing first.'));
  }

  if (library.byCompetitor.length > 0) {
    blocks.push(divider, header('Lessons by competitor'));
    for (const group of library.byCompetitor) blocks.push(groupSection(`Against ${escapeMrkdwn(truncate(group.name, NAME_MAX))}`, group, false));
  }
  if (library.byReason.length > 0) {
    blocks.push(divider, header('Lessons by reason'));
    for (const group of library.byReason) blocks.push(groupSection(escapeMrkdwn(reasonLabel(reasons, group.name)), group, true));
  }

  blocks.push(divider, header('Latest retros'));
  if (library.latestRetros.length > 0) {
    blocks.push(
      listSection(
        library.latestRetros.map((retro) => {
          const facts = [
            retro.competitor ? `lost to ${escapeMrkdwn(truncate(retro.competitor, NAME_MAX))}` : null,
            retro.primaryReason ? escapeMrkdwn(reasonLabel(reasons, retro.primaryReason)) : null,
            `lost ${formatLongDate(retro.lostOn)}`,
            STATUS_LABELS[retro.status],
            retro.lessonsCount > 0 ? `${retro.lessonsCount} ${retro.lessonsCount === 1 ? 'lesson' : 'lessons'}` : null,
          ].filter((fact): fact is string => fact !== null);
          return `• *${dealLink(retro.dealName, retro.permalink)}*: ${facts.join(', ')}`;
        }),
      ),
    );
  } else {
    blocks.push(section(`No retros yet. Log a lost deal with \`${COMMANDS.losses} log\` and its retro thread opens.`));
  }
  blocks.push(context('Retros from private channels appear only for their members.'));
  return { type: 'home', blocks };
}
