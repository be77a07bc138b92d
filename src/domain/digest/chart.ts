// The digest's chart: loss reasons and winning competitors this week against the weekly average of
// the previous four weeks, as data for src/lib/chart/barChart.ts.

import { DEFAULT_REASON_CATALOG, reasonLabel } from '../lossReasons';
import type { TBarChart } from '../../lib/chart/barChart';
import { describePeriodDays } from './period';
import { COMPARISON_WEEKS, type TDigest } from './summarise';

/** Rows per panel; the rest is left to the text digest. */
export const CHART_ROWS = 8;

export const CHART_SERIES = [
  { name: 'This week', color: [37, 99, 235] },
  { name: `Weekly average, previous ${COMPARISON_WEEKS} weeks`, color: [203, 213, 225] },
] as const;

/** null for an empty week: there is nothing to draw. */
export function digestChart(digest: TDigest): TBarChart | null {
  if (digest.lossCount === 0) return null;
  const average = (count: number) => count / COMPARISON_WEEKS;
  const competitors = digest.competitors.slice(0, CHART_ROWS);
  return {
    title: `Why we lost: ${describePeriodDays(digest.period)}`,
    subtitle: `Week ${digest.period.label}, ${digest.lossCount} ${digest.lossCount === 1 ? 'loss' : 'losses'}`,
    series: CHART_SERIES.map((series) => ({ name: series.name, color: series.color })),
    panels: [
      {
        title: 'Loss reasons',
        rows: digest.reasons.slice(0, CHART_ROWS).map((row) => ({
          label: row.reason === null ? 'Not debriefed yet' : reasonLabel(digest.reasonCatalog ?? DEFAULT_REASON_CATALOG, row.reason),
          values: [row.count, average(row.previousCount)],
        })),
      },
      {
        title: 'Competitors who won',
        rows: competitors.map((competitor) => ({ label: competitor.name, values: [competitor.wins, average(competitor.previousWins)] })),
      },
    ],
  };
}

/** Alt text for the chart image: the same numbers, readable by a screen reader. */
export function digestChartAltText(chart: TBarChart): string {
  return chart.panels
    .map((panel) => `${panel.title}: ${panel.rows.length === 0 ? 'none' : panel.rows.map((row) => `${row.label} ${row.values[0]} (before ${row.values[1]?.toFixed(1)} a week)`).join(', ')}`)
    .join('. ')
    .slice(0, 1000);
}
