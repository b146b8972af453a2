// The comparison tolerance from the settings, shared by trace diffs and run comparisons (both are
// classified in the worker by src/core/diff; this only reads and converts the two settings).
import * as vscode from 'vscode';
import { DEFAULT_TOLERANCE, type DiffTolerance } from '../../core/diff/types';

export function readTolerance(): DiffTolerance {
  const c = vscode.workspace.getConfiguration('spanlens.compare');
  const pct = c.get<number>('threshold', DEFAULT_TOLERANCE.threshold * 100);
  const ms = c.get<number>('minDeltaMs', DEFAULT_TOLERANCE.minDeltaNs / 1e6);
  return {
    threshold: typeof pct === 'number' && Number.isFinite(pct) && pct >= 0 ? pct / 100 : DEFAULT_TOLERANCE.threshold,
    minDeltaNs: typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms * 1e6 : DEFAULT_TOLERANCE.minDeltaNs,
  };
}
