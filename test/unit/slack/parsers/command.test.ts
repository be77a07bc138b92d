import { parseLossesCommand } from '../../../../src/slack/parsers/command';

describe('parseLossesCommand', () => {
  it.each(['', '   ', 'help', 'HELP', '  help  me '])('answers %p with help', (text) => {
    expect(parseLossesCommand(text)).toEqual({ kind: 'help' });
  });

  it.each(['log', 'Log', ' LOG ', 'new', 'log Acme Corp', '\tlog\n'])('opens the log form for %p', (text) => {
    expect(parseLossesCommand(text)).toEqual({ kind: 'log' });
  });

  it('treats anything else as a search, trimmed', () => {
    expect(parseLossesCommand('  acme  "economic buyer" competitor:globex  ')).toEqual({ kind: 'search', query: 'acme  "economic buyer" competitor:globex' });
    expect(parseLossesCommand('<!channel>')).toEqual({ kind: 'search', query: '<!channel>' });
  });

  it('reads export with the search that follows it, if any', () => {
    expect(parseLossesCommand('export')).toEqual({ kind: 'export', query: '' });
    expect(parseLossesCommand(' EXPORT  competitor:globex since:90d ')).toEqual({ kind: 'export', query: 'competitor:globex since:90d' });
  });

  it('reads digest: a preview, a given week, the settings, or what it cannot take', () => {
    expect(parseLossesCommand('digest')).toEqual({ kind: 'digest', period: null });
    expect(parseLossesCommand(' Digest  2026-w47 ')).toEqual({ kind: 'digest', period: '2026-W47' });
    expect(parseLossesCommand('digest SETTINGS')).toEqual({ kind: 'digestSettings' });
    expect(parseLossesCommand('digest last week')).toEqual({ kind: 'digestUsage', text: 'last week' });
    expect(parseLossesCommand('digests')).toEqual({ kind: 'search', query: 'digests' });
  });

  it("reads data export and data delete, and keeps other words after data a search", () => {
    expect(parseLossesCommand('data export')).toEqual({ kind: 'dataExport' });
    expect(parseLossesCommand(' DATA  Delete ')).toEqual({ kind: 'dataDelete' });
    expect(parseLossesCommand('data')).toEqual({ kind: 'dataUsage' });
    expect(parseLossesCommand('data warehouse')).toEqual({ kind: 'search', query: 'data warehouse' });
    expect(parseLossesCommand('data delete everything')).toEqual({ kind: 'search', query: 'data delete everything' });
  });

  it('matches sub-commands as whole words only', () => {
    expect(parseLossesCommand('logs')).toEqual({ kind: 'search', query: 'logs' });
    expect(parseLossesCommand('helpful')).toEqual({ kind: 'search', query: 'helpful' });
    expect(parseLossesCommand('exports')).toEqual({ kind: 'search', query: 'exports' });
  });
});
