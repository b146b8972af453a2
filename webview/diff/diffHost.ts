// The diff webview's channel to the extension host (../channel.ts) over src/shared/diffProtocol.ts.
import type { DiffHostMessage, DiffRequestMap, DiffWebviewMessage } from '../../src/shared/diffProtocol';
import { HostChannel } from '../channel';

export type DiffPush = Exclude<DiffHostMessage, { type: 'response' }>;

const PUSH_TYPES: readonly DiffPush['type'][] = ['loading', 'diffLoaded', 'diffError'];

export class DiffHostClient extends HostChannel<DiffRequestMap, DiffWebviewMessage, DiffHostMessage> {
  constructor(onPush: (message: DiffPush) => void) {
    super(PUSH_TYPES, onPush);
  }
}
