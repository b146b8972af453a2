// Trace ids printed in the integrated terminal (traceparent values, trace_id=..., traceId: ...)
// become links that open the trace from the configured backends.
import * as vscode from 'vscode';
import { findTraceIds } from '../../core/backends';

export interface TraceIdTerminalLink extends vscode.TerminalLink {
  readonly traceId: string;
}

export class TraceIdLinkProvider implements vscode.TerminalLinkProvider<TraceIdTerminalLink> {
  constructor(private readonly open: (traceId: string) => unknown) {}

  provideTerminalLinks(context: vscode.TerminalLinkContext): TraceIdTerminalLink[] {
    // Very long lines (minified JSON logs) are capped so link detection never slows the terminal.
    return findTraceIds(context.line.slice(0, 4000)).map((m) => ({
      startIndex: m.index,
      length: m.length,
      tooltip: `Open trace ${m.traceId} in Spanlens`,
      traceId: m.traceId,
    }));
  }

  handleTerminalLink(link: TraceIdTerminalLink): void {
    void this.open(link.traceId);
  }
}
