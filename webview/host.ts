// The waterfall webview's channel to the extension host (./channel.ts) over src/shared/protocol.ts.
import type { HostMessage, RequestMap, WebviewMessage } from '../src/shared/protocol';
import { HostChannel } from './channel';

export { RequestError } from './channel';

/** Host messages other than responses, which the channel consumes itself. */
export type PushMessage = Exclude<HostMessage, { type: 'response' }>;

const PUSH_TYPES: readonly PushMessage['type'][] = ['fileLoaded', 'traceData', 'loadError', 'loading', 'revealSpan', 'detailsChanged'];

export class HostClient extends HostChannel<RequestMap, WebviewMessage, HostMessage> {
  constructor(onPush: (message: PushMessage) => void) {
    super(PUSH_TYPES, onPush);
  }
}
