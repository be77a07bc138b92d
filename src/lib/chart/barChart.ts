import { fitText, Raster, textHeight, textWidth, type TRgb } from './raster';

// Horizontal grouped bar charts, one panel per question ("why we lost", "who won"), one bar per
// series (this week, the weekly average before). Labels sit left of the bars, values at their ends.

export interface TBarSeries {
  name: string;
  color: TRgb;
}

export interface TBarChartPanel {
  title: string;
  rows: Array<{ label: string; values: number[] }>;
}

export interface TBarChart {
  title: string;
  subtitle: string;
  series: TBarSeries[];
  panels: TBarChartPanel[];
}

const WIDTH = 960;
const MARGIN = 28;
const LABEL_COLUMN = 320;
const VALUE_COLUMN = 64;
const BAR_HEIGHT = 16;
const BAR_GAP = 3;
const ROW_GAP = 12;
const TEXT = 2;
const TITLE_TEXT = 3;
const INK: TRgb = [33, 37, 41];
const MUTED: TRgb = [108, 117, 125];
const AXIS: TRgb = [206, 212, 218];

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function panelHeight(panel: TBarChartPanel, seriesCount: number): number {
  const rowHeight = seriesCount * BAR_HEIGHT + (seriesCount - 1) * BAR_GAP;
  const rows = Math.max(panel.rows.length, 1);
  return textHeight(TEXT) + 16 + rows * rowHeight + (rows - 1) * ROW_GAP + 28;
}

/** Renders the chart as a PNG; its height grows with the number of rows. */
export function renderBarChart(chart: TBarChart): { png: Buffer; width: number; height: number } {
  const seriesCount = Math.max(chart.series.length, 1);
  const headerHeight = MARGIN + textHeight(TITLE_TEXT) + 12 + textHeight(TEXT) + 16 + textHeight(TEXT) + 24;
  const height = headerHeight + chart.panels.reduce((sum, panel) => sum + panelHeight(panel, seriesCount), 0) + MARGIN;
  const raster = new Raster(WIDTH, height);

  let y = MARGIN;
  raster.drawText(MARGIN, y, fitText(chart.title, WIDTH - 2 * MARGIN, TITLE_TEXT), INK, TITLE_TEXT);
  y += textHeight(TITLE_TEXT) + 12;
  raster.drawText(MARGIN, y, fitText(chart.subtitle, WIDTH - 2 * MARGIN, TEXT), MUTED, TEXT);
  y += textHeight(TEXT) + 16;

  // Legend: a swatch and the series name, side by side.
  let x = MARGIN;
  for (const series of chart.series) {
    raster.fillRect(x, y, textHeight(TEXT), textHeight(TEXT), series.color);
    x += textHeight(TEXT) + 8;
    raster.drawText(x, y, series.name, INK, TEXT);
    x += textWidth(series.name, TEXT) + 28;
  }
  y += textHeight(TEXT) + 24;

  const barsLeft = MARGIN + LABEL_COLUMN;
  const barsWidth = WIDTH - MARGIN - VALUE_COLUMN - barsLeft;
  for (const panel of chart.panels) {
    raster.drawText(MARGIN, y, fitText(panel.title, WIDTH - 2 * MARGIN, TEXT), INK, TEXT);
    // Bold by overprinting one pixel to the right.
    raster.drawText(MARGIN + 1, y, fitText(panel.title, WIDTH - 2 * MARGIN, TEXT), INK, TEXT);
    y += textHeight(TEXT) + 16;
    const top = y;
    const max = Math.max(1, ...panel.rows.flatMap((row) => row.values));
    if (panel.rows.length === 0) {
      raster.drawText(barsLeft, y, 'Nothing this week', MUTED, TEXT);
      y += BAR_HEIGHT;
    }
    panel.rows.forEach((row, rowIndex) => {
      if (rowIndex > 0) y += ROW_GAP;
      const rowHeight = seriesCount * BAR_HEIGHT + (seriesCount - 1) * BAR_GAP;
      raster.drawText(MARGIN, y + Math.floor((rowHeight - textHeight(TEXT)) / 2), fitText(row.label, LABEL_COLUMN - 12, TEXT), INK, TEXT);
      chart.series.forEach((series, seriesIndex) => {
        const value = row.values[seriesIndex] ?? 0;
        const barY = y + seriesIndex * (BAR_HEIGHT + BAR_GAP);
        const barWidth = value > 0 ? Math.max(2, Math.round((value / max) * barsWidth)) : 0;
        raster.fillRect(barsLeft, barY, barWidth, BAR_HEIGHT, series.color);
        raster.drawText(barsLeft + barWidth + 6, barY + Math.floor((BAR_HEIGHT - textHeight(TEXT)) / 2), formatValue(value), MUTED, TEXT);
      });
      y += rowHeight;
    });
    // The axis the bars grow from.
    raster.fillRect(barsLeft - 2, top - 4, 2, y - top + 8, AXIS);
    y += 28;
  }
  return { png: raster.toPng(), width: WIDTH, height };
}
