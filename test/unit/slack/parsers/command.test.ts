import { parseLossesCommand } from '../../../../src/slack/parsers/command';

describe('parseLossesCommand', () => {
  it.each(['', '   ', 'help', 'HELP', '  help  me '])('answers %p with help', (text) => {
    expect(parseLossesCommand(text)).toEqual({ kind: 'help' });
  });

  it.each(['log', 'Log', ' LOG ', 'new', 'log Acme Corp', '\tlog\n'])('opens the log form for %p', (text) => {
    expect(parseLossesCommand(text)).toEqual({ kind: 'log' });
  });

  it('passes anything else back, trimmed, for the help message to quote', () => {
    expect(parseLossesCommand('  search Globex  ')).toEqual({ kind: 'unknown', text: 'search Globex' });
    expect(parseLossesCommand('<!channel>')).toEqual({ kind: 'unknown', text: '<!channel>' });
  });

  it('matches sub-commands as whole words only', () => {
    expect(parseLossesCommand('logs')).toEqual({ kind: 'unknown', text: 'logs' });
    expect(parseLossesCommand('helpful')).toEqual({ kind: 'unknown', text: 'helpful' });
  });
});
