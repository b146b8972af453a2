// The trace catalog's worker in the real editor: when it dies, the user is told, the editor keeps
// working, and the open waterfall loads its file again in a new worker.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, demoUri, openInSpanlens, panelInfo, waitFor } from './helpers';

interface Shown {
  text: string;
  severity: string;
}
interface StatsInfo {
  sources: string[];
  spans: number;
}

describe('Trace catalog worker', () => {
  afterEach(closeAllEditors);

  it('a worker that stops is reported, and the open waterfall loads its file again', async () => {
    const uri = demoUri('checkout.otlp.json');
    const first = await openInSpanlens(uri);
    assert.strictEqual(first.state, 'loaded');
    assert.strictEqual(first.spanCount, 12);
    await waitFor('the file in the statistics', async () => ((await vscode.commands.executeCommand<StatsInfo>('spanlens._test.statsInfo')).sources.includes(uri.toString()) ? true : undefined));
    await vscode.commands.executeCommand('spanlens._test.lastMessages', { clear: true });

    await vscode.commands.executeCommand('spanlens._test.stopWorker');

    const told = await waitFor('the user is told', async () => {
      const m = await vscode.commands.executeCommand<Shown[]>('spanlens._test.lastMessages');
      return m.find((x) => /trace worker stopped/.test(x.text));
    });
    assert.strictEqual(told.severity, 'error');
    // A new worker holds the file again: it is back in the statistics and the waterfall shows it.
    await waitFor(
      'the file loaded again in a new worker',
      async () => {
        const s = await vscode.commands.executeCommand<StatsInfo>('spanlens._test.statsInfo');
        return s.sources.includes(uri.toString()) && s.spans === 12 ? true : undefined;
      },
      20_000,
    );
    const again = await panelInfo();
    assert.strictEqual(again?.state, 'loaded');
    assert.strictEqual(again?.spanCount, 12);
  });
});
