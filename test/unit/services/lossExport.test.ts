import type { TSearchHit } from '../../../src/domain/search';
import { buildLossesCsv, csvField } from '../../../src/services/lossExport';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    // A spreadsheet would run these as formulas.
    ['=HYPERLINK("http://evil")', '"\'=HYPERLINK(""http://evil"")"'],
    ['+1 555', "'+1 555"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('writes %p as %p', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes numbers as they are and null as nothing', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });
});

describe('buildLossesCsv', () => {
  it('writes a header and one CRLF line per loss, with labels people read', () => {
    const hit: TSearchHit = {
      retroId: 'r1',
      dealName: 'Acme, Inc. renewal',
      competitor: 'Globex',
      outcome: 'competitor',
      primaryReason: 'price_budget',
      status: 'reviewed',
      amount: '48000.00',
      currency: 'USD',
      lostOn: '2026-10-01',
      lessonsCount: 2,
      ownerSlackUserId: 'U0RITA0001',
      ownerName: null,
      channelId: 'C1',
      permalink: 'https://test.slack.com/archives/C1/p1',
      snippet: 'not exported',
      whyWinnerWon: 'Cheaper',
      firstLesson: 'Ask early',
    };
    const csv = buildLossesCsv([hit]);
    expect(csv.startsWith('\uFEFFDeal,Winner,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toBe('"Acme, Inc. renewal",Globex,Another vendor won,Price or budget,48000.00,USD,2026-10-01,reviewed,U0RITA0001,,Cheaper,2,Ask early,https://test.slack.com/archives/C1/p1');
    expect(lines[2]).toBe('');
    expect(csv).not.toContain('not exported');
  });
});
