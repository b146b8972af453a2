// Files that cannot be read: the panel shows an error view that says what is wrong and where.
import * as assert from 'assert';
import { EXPECTATIONS, closeAllEditors, demoUri, openInSpanlens } from './helpers';

describe('Files that cannot be read', () => {
  afterEach(closeAllEditors);

  for (const b of EXPECTATIONS.broken as { file: string; line?: number; messageIncludes: string[] }[]) {
    it(`${b.file}: error view with a message${b.line ? ` and "line ${b.line}"` : ''}`, async () => {
      const info = await openInSpanlens(demoUri(b.file));
      assert.strictEqual(info.state, 'error', `expected an error view, got ${JSON.stringify(info)}`);
      assert.ok(info.error, 'no error details');
      assert.ok(info.error.message.trim().length > 0, 'empty error message');
      for (const text of b.messageIncludes) assert.ok(info.error.message.includes(text), `"${info.error.message}" does not mention "${text}"`);
      if (b.line !== undefined) {
        assert.match(info.error.locationText, new RegExp(`\\bline ${b.line}\\b`), `location "${info.error.locationText}" is not line ${b.line}`);
      }
      assert.strictEqual(info.traceCount, undefined, 'an unreadable file must not report traces');
    });
  }

  it('a JSON file of another kind lists the trace formats that were tried', async () => {
    const info = await openInSpanlens(demoUri('broken/not-a-trace.json'));
    assert.strictEqual(info.state, 'error');
    assert.ok((info.error?.formatsTried.length ?? 0) >= 3, `formats tried: ${JSON.stringify(info.error?.formatsTried)}`);
  });
});
