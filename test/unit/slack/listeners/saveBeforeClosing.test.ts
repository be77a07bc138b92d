import { AppError } from '../../../../src/errors';
import { saveBeforeClosing } from '../../../../src/slack/listeners/views/saveBeforeClosing';

function recorder() {
  const events: string[] = [];
  const acks: unknown[] = [];
  const errors: unknown[] = [];
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message: string) => void errors.push(message) };
  const ack = async (response?: unknown) => {
    events.push('ack');
    acks.push(response);
  };
  return { events, acks, errors, logger, ack: ack as never };
}

describe('saveBeforeClosing', () => {
  it('closes the modal only after the answers are stored', async () => {
    const r = recorder();
    const closed = await saveBeforeClosing({ ack: r.ack, logger: r.logger, what: 'your debrief', errorBlockId: 'reason_block' }, async () => {
      r.events.push('saved');
    });
    expect(closed).toBe(true);
    expect(r.events).toEqual(['saved', 'ack']);
    expect(r.acks).toEqual([undefined]);
  });

  it('keeps the modal open with a retry note when storing fails, and logs the failure', async () => {
    const r = recorder();
    const closed = await saveBeforeClosing({ ack: r.ack, logger: r.logger, what: 'your debrief', errorBlockId: 'reason_block' }, async () => {
      throw new Error('connection terminated');
    });
    expect(closed).toBe(false);
    expect(r.acks).toEqual([{ response_action: 'errors', errors: { reason_block: expect.stringContaining('press Submit again') } }]);
    expect(r.errors).toEqual(['Saving your debrief failed']);
  });

  it("shows a known problem's own message on the field without logging it as a failure", async () => {
    const r = recorder();
    await saveBeforeClosing({ ack: r.ack, logger: r.logger, what: 'your perspective', errorBlockId: 'saw_block' }, async () => {
      throw new AppError('retro_not_found', 'This retro no longer exists.');
    });
    expect(r.acks).toEqual([{ response_action: 'errors', errors: { saw_block: 'This retro no longer exists.' } }]);
    expect(r.errors).toEqual([]);
  });
});
