// Text of the latency CodeLens and hover. No vscode import, so it is unit tested directly.
// Everything from a trace (function names, callers) is escaped before it enters Markdown.
import type { FunctionStats, LatencyHistogram } from '../../core/source';
import type { BaselineDelta, LensFunctionStats } from '../../core/catalog/protocol';
import { formatDurationNs } from '../../core/model/time';

export type LensFigure = 'p50' | 'p95' | 'p99' | 'count' | 'errors' | 'self';
export const LENS_FIGURES: readonly LensFigure[] = ['p50', 'p95', 'p99', 'count', 'errors', 'self'];
export const DEFAULT_LENS_FIGURES: readonly LensFigure[] = ['p50', 'p95', 'count', 'errors'];

/** The figures setting, unknown entries dropped, duplicates removed; the default when empty or invalid. */
export function parseFigures(v: unknown): LensFigure[] {
  if (!Array.isArray(v)) return [...DEFAULT_LENS_FIGURES];
  const out: LensFigure[] = [];
  for (const x of v) if (typeof x === 'string' && (LENS_FIGURES as readonly string[]).includes(x) && !out.includes(x as LensFigure)) out.push(x as LensFigure);
  return out.length ? out : [...DEFAULT_LENS_FIGURES];
}

/** True when the function's p95 reaches the threshold (0 or less: never). */
export function isSlow(f: FunctionStats, slowThresholdMs: number): boolean {
  return slowThresholdMs > 0 && f.p95Ns >= slowThresholdMs * 1e6;
}

/** "+38%" (the p50 change against the baseline; a time when the baseline p50 is 0). */
export function baselinePct(d: BaselineDelta): string {
  const delta = d.deltaP50Ms ?? 0;
  const base = d.baseline?.p50Ms ?? 0;
  if (!(base > 0)) return `${delta < 0 ? '-' : '+'}${formatDurationNs(Math.abs(delta) * 1e6)}`;
  const pct = (100 * delta) / base;
  const abs = Math.abs(pct);
  return `${pct < 0 ? '-' : '+'}${abs >= 10 ? abs.toFixed(0) : abs.toFixed(1)}%`;
}

/** "(+38% vs baseline)" after the p50 figure; "(≈ baseline)" within the tolerance; "(new vs baseline)". */
export function baselineNote(d: BaselineDelta | undefined): string {
  if (!d) return '';
  switch (d.change) {
    case 'regressed':
    case 'improved':
      return `(${baselinePct(d)} vs baseline)`;
    case 'unchanged':
      return '(≈ baseline)';
    case 'added':
      return '(new vs baseline)';
    case 'removed':
      return '';
  }
}

/**
 * "p50 4.1 ms · p95 12 ms · 132 calls · 3 errors" (errors only when there are some); with a
 * baseline set, "p50 12 ms (+38% vs baseline) · …".
 */
export function lensTitle(f: LensFunctionStats, figures: readonly LensFigure[], slowThresholdMs = 0): string {
  const parts: string[] = [];
  const note = baselineNote(f.vsBaseline);
  for (const fig of figures) {
    switch (fig) {
      case 'p50':
        parts.push(`p50 ${formatDurationNs(f.p50Ns)}${note ? ` ${note}` : ''}`);
        break;
      case 'p95':
        parts.push(`p95 ${formatDurationNs(f.p95Ns)}`);
        break;
      case 'p99':
        parts.push(`p99 ${formatDurationNs(f.p99Ns)}`);
        break;
      case 'count':
        parts.push(`${f.count} ${f.count === 1 ? 'call' : 'calls'}`);
        break;
      case 'errors':
        if (f.errors) parts.push(`${f.errors} ${f.errors === 1 ? 'error' : 'errors'}`);
        break;
      case 'self':
        parts.push(`self ${formatDurationNs(f.selfP50Ns)}`);
        break;
    }
  }
  if (note && !figures.includes('p50')) parts.push(note);
  const text = parts.join(' · ');
  return isSlow(f, slowThresholdMs) ? `$(warning) slow · ${text}` : text;
}

/** Backslash-escapes Markdown punctuation and flattens line breaks: trace text stays text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~&$:"']/g, (c) => `\\${c}`);
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One line per bucket, "  1.2 ms – 1.9 ms  ▃  12", plus a one-line sparkline above. No trace text. */
export function histogramText(h: LatencyHistogram): string {
  if (!h.counts.length) return '';
  const max = Math.max(...h.counts);
  const bar = (c: number) => (c === 0 ? ' ' : BLOCKS[Math.min(BLOCKS.length - 1, Math.floor((c / max) * (BLOCKS.length - 1) + 0.5))]);
  const labels = h.counts.map((_, i) => `${formatDurationNs(Math.round(h.edgesNs[i]))} – ${formatDurationNs(Math.round(h.edgesNs[i + 1]))}`);
  const width = Math.max(...labels.map((l) => l.length));
  const lines = [h.counts.map(bar).join('')];
  h.counts.forEach((c, i) => lines.push(`${labels[i].padStart(width)}  ${bar(c)}  ${c}`));
  return lines.join('\n');
}

/** The baseline and the current figures side by side, for the hover. No trace text. */
export function baselineTable(f: FunctionStats, d: BaselineDelta): string[] {
  const ms = (v: number) => formatDurationNs(v * 1e6);
  const b = d.baseline;
  const verdict = { regressed: '**slower** than', improved: '**faster** than', unchanged: 'within the tolerance of', added: '**new** since', removed: 'gone since' }[d.change];
  const lines = [`Against the baseline: ${verdict} the baseline${b ? ` (p50 ${baselinePct(d)})` : ''}.`, ''];
  lines.push('| | baseline | now |', '|---|---:|---:|');
  lines.push(`| p50 | ${b ? ms(b.p50Ms) : '—'} | ${formatDurationNs(f.p50Ns)} |`);
  lines.push(`| p95 | ${b ? ms(b.p95Ms) : '—'} | ${formatDurationNs(f.p95Ns)} |`);
  lines.push(`| calls | ${b ? b.count : '—'} | ${f.count} |`);
  lines.push(`| errors | ${b ? b.errors : '—'} | ${f.errors} |`);
  return lines;
}

/** The hover: percentiles, self time, error rate, histogram, top callers. Returns Markdown. */
export function hoverMarkdown(f: LensFunctionStats, h: LatencyHistogram, scopeLabel: string, slowThresholdMs = 0): string {
  const d = formatDurationNs;
  const rate = f.count ? (100 * f.errors) / f.count : 0;
  const lines: string[] = [];
  lines.push(`**Spanlens** · ${escapeMarkdown(f.function)} — ${f.count} ${f.count === 1 ? 'span' : 'spans'} in ${escapeMarkdown(scopeLabel)}${isSlow(f, slowThresholdMs) ? ' · **slow**' : ''}`);
  lines.push('');
  lines.push('| p50 | p95 | p99 | max | self p50 | errors |');
  lines.push('|---:|---:|---:|---:|---:|---:|');
  lines.push(`| ${d(f.p50Ns)} | ${d(f.p95Ns)} | ${d(f.p99Ns)} | ${d(f.maxNs)} | ${d(f.selfP50Ns)} | ${f.errors} (${rate.toFixed(rate && rate < 1 ? 2 : 1)}%) |`);
  if (f.vsBaseline) lines.push('', ...baselineTable(f, f.vsBaseline));
  if (f.approximate) lines.push('', '_Percentiles are approximate (under 1% error): there are many spans._');
  const hist = histogramText(h);
  if (hist) lines.push('', 'Latency histogram:', '', '```text', hist, '```');
  if (f.topCallers.length) {
    lines.push('', `Top callers: ${f.topCallers.map((c) => `${escapeMarkdown(c.caller)} ×${c.count}`).join(', ')}`);
  }
  return lines.join('\n');
}
