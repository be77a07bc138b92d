import { foldToAscii, GLYPH_HEIGHT, GLYPH_SPACING, GLYPH_WIDTH, glyphColumns } from './font5x7';
import { encodePng } from './png';

// An RGB pixel buffer with the two things a bar chart needs: filled rectangles and bitmap text.

export type TRgb = readonly [red: number, green: number, blue: number];

export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: TRgb = [255, 255, 255],
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  /** Fills a rectangle, clipped to the image. */
  fillRect(x: number, y: number, width: number, height: number, color: TRgb): void {
    const left = Math.max(0, Math.round(x));
    const top = Math.max(0, Math.round(y));
    const right = Math.min(this.width, Math.round(x + width));
    const bottom = Math.min(this.height, Math.round(y + height));
    for (let row = top; row < bottom; row += 1) {
      for (let column = left; column < right; column += 1) {
        const offset = (row * this.width + column) * 3;
        this.pixels[offset] = color[0];
        this.pixels[offset + 1] = color[1];
        this.pixels[offset + 2] = color[2];
      }
    }
  }

  /** Draws text with its top-left corner at (x, y), each font dot `scale` pixels square. */
  drawText(x: number, y: number, text: string, color: TRgb, scale = 2): void {
    let cursor = x;
    for (const character of foldToAscii(text)) {
      glyphColumns(character).forEach((bits, column) => {
        for (let row = 0; row < GLYPH_HEIGHT; row += 1) {
          if (bits & (1 << row)) this.fillRect(cursor + column * scale, y + row * scale, scale, scale, color);
        }
      });
      cursor += (GLYPH_WIDTH + GLYPH_SPACING) * scale;
    }
  }

  toPng(): Buffer {
    return encodePng(this.width, this.height, this.pixels);
  }
}

/** Width in pixels of text drawn at `scale`. */
export function textWidth(text: string, scale = 2): number {
  const length = foldToAscii(text).length;
  return length === 0 ? 0 : (length * (GLYPH_WIDTH + GLYPH_SPACING) - GLYPH_SPACING) * scale;
}

export function textHeight(scale = 2): number {
  return GLYPH_HEIGHT * scale;
}

/** Shortens text to fit `maxWidth` pixels, ending in "..." when it had to cut. */
export function fitText(text: string, maxWidth: number, scale = 2): string {
  const folded = foldToAscii(text);
  if (textWidth(folded, scale) <= maxWidth) return folded;
  let end = folded.length;
  while (end > 0 && textWidth(`${folded.slice(0, end)}...`, scale) > maxWidth) end -= 1;
  return `${folded.slice(0, end).trimEnd()}...`;
}
