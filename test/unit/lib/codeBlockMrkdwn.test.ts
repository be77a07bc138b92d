import { codeBlockMrkdwn } from '../../../src/lib/mrkdwn';
import { liveMentions } from '../../helpers/blockKitLimits';

describe('codeBlockMrkdwn', () => {
  it('gives words back verbatim but inert: no pings, no links, no early end of the block', () => {
    const text = codeBlockMrkdwn('<!channel> see <https://evil.example|here> ``` after');
    expect(text.startsWith('```')).toBe(true);
    expect(text.endsWith('```')).toBe(true);
    expect(text.slice(3, -3)).not.toContain('```');
    expect(text).toContain('&lt;!channel&gt;');
    expect(liveMentions({ text, blocks: [] })).toEqual([]);
  });
});
