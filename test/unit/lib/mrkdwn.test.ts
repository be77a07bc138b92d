import { escapeMrkdwn, linkMrkdwn, mentionUser, quoteMrkdwn, truncate } from '../../../src/lib/mrkdwn';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('escapeMrkdwn', () => {
  it('escapes the three characters Slack reads as control characters', () => {
    expect(escapeMrkdwn('AT&T <Acme> & co')).toBe('AT&amp;T &lt;Acme&gt; &amp; co');
  });

  it('turns mentions and links a person typed into inert text', () => {
    for (const sequence of ['<!channel>', '<!here>', '<!everyone>', '<@U123>', '<!subteam^S123>', '<#C123>', '<https://evil.example|bank>']) {
      const escaped = escapeMrkdwn(`hi ${sequence}`);
      expect(escaped).not.toMatch(/[<>]/);
      expect(escaped).toContain(sequence.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    }
  });

  it('escapes an ampersand first, so already-escaped text shows as typed', () => {
    expect(escapeMrkdwn('&lt;!channel&gt;')).toBe('&amp;lt;!channel&amp;gt;');
  });

  it('leaves emoji, formatting characters and empty text alone', () => {
    expect(escapeMrkdwn('*bold* _it_ ~x~ `code` :tada: 🎉')).toBe('*bold* _it_ ~x~ `code` :tada: 🎉');
    expect(escapeMrkdwn('')).toBe('');
  });
});

describe('quoteMrkdwn', () => {
  it('quotes every line and escapes its content', () => {
    expect(quoteMrkdwn('We chose them.\n<!channel> was cheaper\n\nBye & thanks')).toBe(
      '>We chose them.\n>&lt;!channel&gt; was cheaper\n>\n>Bye &amp; thanks',
    );
  });

  it("cannot end the quote early with the buyer's own > characters", () => {
    expect(quoteMrkdwn('> not a nested quote')).toBe('>&gt; not a nested quote');
  });
});

describe('mentionUser', () => {
  it('builds a user mention', () => {
    expect(mentionUser('U0REP0001')).toBe('<@U0REP0001>');
  });
});

describe('linkMrkdwn', () => {
  it('builds one link with an escaped label', () => {
    expect(linkMrkdwn('https://crm.example.com/deals/42', 'Acme & <Co>')).toBe('<https://crm.example.com/deals/42|Acme &amp; &lt;Co&gt;>');
  });

  it('keeps characters in the URL or label from closing the link or starting another', () => {
    const link = linkMrkdwn('https://crm.example.com/a|b<c>d', 'x|y');
    expect(link).toBe('<https://crm.example.com/a%7Cb%3Cc%3Ed|x¦y>');
    expect(link.match(/[<>|]/g)).toEqual(['<', '|', '>']);
  });
});

describe('truncate', () => {
  it('returns text that fits unchanged, up to exactly the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('cuts longer text to the limit, ending with an ellipsis', () => {
    const cut = truncate('x'.repeat(11), 10);
    expect(cut).toBe(`${'x'.repeat(9)}…`);
    expect(cut).toHaveLength(10);
  });

  it('drops trailing spaces before the ellipsis', () => {
    expect(truncate('abc      defghij', 8)).toBe('abc…');
  });

  it('never keeps half of an emoji, which is not valid UTF-8', () => {
    // '🎉' is two UTF-16 code units; a naive cut at 9 keeps only its first half.
    const text = `${'x'.repeat(8)}🎉🎉🎉`;
    for (let max = 1; max < text.length; max += 1) {
      const cut = truncate(text, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(LONE_SURROGATE);
      expect(cut.endsWith('…')).toBe(true);
    }
    expect(truncate(`${'x'.repeat(8)}🎉🎉🎉`, 10)).toBe(`${'x'.repeat(8)}…`);
    expect(truncate('🎉🎉🎉', 4)).toBe('🎉…');
  });
});
