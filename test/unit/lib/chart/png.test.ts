import { inflateSync } from 'node:zlib';
import { CHART_SERIES, digestChart, digestChartAltText } from '../../../../src/domain/digest/chart';
import { summariseDigest } from '../../../../src/domain/digest/summarise';
import { renderBarChart } from '../../../../src/lib/chart/barChart';
import { foldToAscii } from '../../../../src/lib/chart/font5x7';
import { crc32, encodePng, PNG_SIGNATURE } from '../../../../src/lib/chart/png';
import { Raster } from '../../../../src/lib/chart/raster';
import { BEFORE_PERIOD, debrief, input, loss } from '../../domain/digest/fixtures';

interface TDecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  /** RGB bytes, row by row, filters undone (Debrief only writes filter 0). */
  pixels: Buffer;
}

/** A strict little PNG reader: every chunk's CRC is checked, IDAT is inflated with zlib. */
function decodePng(file: Buffer): TDecodedPng {
  expect(file.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  let offset = 8;
  const chunks: Array<{ type: string; data: Buffer }> = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    expect(file.readUInt32BE(offset + 8 + length)).toBe(crc32(file.subarray(offset + 4, offset + 8 + length)));
    chunks.push({ type, data });
    offset += 12 + length;
  }
  expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = chunks[0]!.data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const raw = inflateSync(chunks[1]!.data);
  expect(raw.length).toBe((width * 3 + 1) * height);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    expect(raw[y * (width * 3 + 1)]).toBe(0);
    raw.copy(pixels, y * width * 3, y * (width * 3 + 1) + 1, (y + 1) * (width * 3 + 1));
  }
  return { width, height, bitDepth: header[8]!, colourType: header[9]!, pixels };
}

function pixelAt(png: TDecodedPng, x: number, y: number): number[] {
  const offset = (y * png.width + x) * 3;
  return [...png.pixels.subarray(offset, offset + 3)];
}

function countColour(png: TDecodedPng, colour: readonly number[]): number {
  let count = 0;
  for (let offset = 0; offset < png.pixels.length; offset += 3) {
    if (png.pixels[offset] === colour[0] && png.pixels[offset + 1] === colour[1] && png.pixels[offset + 2] === colour[2]) count += 1;
  }
  return count;
}

describe('encodePng', () => {
  it('writes a PNG any decoder reads back pixel for pixel', () => {
    const raster = new Raster(3, 2, [255, 255, 255]);
    raster.fillRect(1, 0, 1, 2, [10, 20, 30]);
    const png = decodePng(raster.toPng());
    expect(png).toMatchObject({ width: 3, height: 2, bitDepth: 8, colourType: 2 });
    expect([pixelAt(png, 0, 0), pixelAt(png, 1, 0), pixelAt(png, 1, 1), pixelAt(png, 2, 1)]).toEqual([
      [255, 255, 255],
      [10, 20, 30],
      [10, 20, 30],
      [255, 255, 255],
    ]);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('refuses pixels that do not match the size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow('Expected 12 bytes');
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow('Bad image size');
  });
});

describe('the digest chart', () => {
  const digest = summariseDigest(
    input({
      losses: [
        loss(),
        loss(),
        loss({ agreedReason: 'product_gap', debrief: debrief({ winnerName: 'Initech' }) }),
        loss({ openedAt: BEFORE_PERIOD, debrief: debrief({ primaryReason: 'timing_no_decision', winnerName: 'Hooli' }) }),
      ],
    }),
  );

  it('compares this week with the weekly average before, for reasons and competitors', () => {
    const chart = digestChart(digest)!;
    expect(chart.panels.map((panel) => panel.title)).toEqual(['Loss reasons', 'Competitors who won']);
    expect(chart.panels[0]!.rows).toEqual([
      { label: 'Price or budget', values: [2, 0] },
      { label: 'Product gap', values: [1, 0] },
      { label: 'Timing or no decision', values: [0, 0.25] },
    ]);
    expect(chart.panels[1]!.rows).toEqual([
      { label: 'Globex', values: [2, 0] },
      { label: 'Initech', values: [1, 0] },
      { label: 'Hooli', values: [0, 0.25] },
    ]);
    expect(digestChartAltText(chart)).toContain('Loss reasons: Price or budget 2 (before 0.0 a week)');
  });

  it('renders as a valid PNG of a sensible size, with both series drawn', () => {
    const rendered = renderBarChart(digestChart(digest)!);
    const png = decodePng(rendered.png);
    expect(png.width).toBe(960);
    expect(png.height).toBeGreaterThan(300);
    expect(png.height).toBeLessThan(1200);
    expect(rendered.png.length).toBeLessThan(200_000);
    expect(countColour(png, CHART_SERIES[0].color)).toBeGreaterThan(1000);
    expect(countColour(png, CHART_SERIES[1].color)).toBeGreaterThan(100);
  });

  it('has no chart for an empty week', () => {
    expect(digestChart(summariseDigest(input()))).toBeNull();
  });

  it('draws any name, folding what the font lacks to ASCII', () => {
    expect(foldToAscii('Müller – “Größe” 日本')).toBe('Muller - "Grosse" ??');
    const png = decodePng(renderBarChart({ title: 'Ünïcode ✓', subtitle: '', series: [], panels: [{ title: 'Empty', rows: [] }] }).png);
    expect(png.width).toBe(960);
  });
});
