// Sharing a trace: redact it (../redaction) and serialise it with the project's exporters. One place
// for "Share Trace…", "Save Trace As…" and "Export Collected Traces…", so every export that offers
// redaction applies the same rules the same way. Pure: the catalog worker calls it and writes the file.
import { toChromeTrace } from '../exporters/chrome';
import { serializeOtlpJson, toOtlpJsonLines } from '../exporters/otlpJson';
import type { Trace } from '../model/model';
import { createRedactor, formatRedactionCounts, redactTraces, type RedactionRules } from '../redaction';

export type ShareFormat = 'otlp-json' | 'otlp-jsonl' | 'chrome';
export const SHARE_FORMATS: readonly ShareFormat[] = ['otlp-json', 'otlp-jsonl', 'chrome'];

export const SHARE_FORMAT_INFO: Record<ShareFormat, { label: string; ext: string; filter: string }> = {
  'otlp-json': { label: 'OTLP JSON', ext: '.otlp.json', filter: 'json' },
  'otlp-jsonl': { label: 'OTLP JSON Lines', ext: '.otlp.jsonl', filter: 'jsonl' },
  chrome: { label: 'Chrome Trace Event (Perfetto, chrome://tracing)', ext: '.chrome.json', filter: 'json' },
};

export interface ShareFinding {
  readonly traceId: string;
  readonly spanId: string;
  /** The span's name, for the preview list. */
  readonly spanName: string;
  readonly field: string;
  readonly key?: string;
  readonly rule: string;
}

export interface SharePreview {
  readonly traces: number;
  readonly spans: number;
  /** Values redacted; 0 when exported as is. */
  readonly redacted: number;
  /** Per rule, most first. */
  readonly counts: readonly (readonly [string, number])[];
  /** "redacted 3 values: jwt 2, email 1", "nothing to redact" (formatRedactionCounts), or "not redacted". */
  readonly countsText: string;
  readonly findings: readonly ShareFinding[];
  /** More values were redacted than findings listed (the redactor keeps at most maxFindings). */
  readonly findingsTruncated: boolean;
  /** False when exported as is. */
  readonly redactedExport: boolean;
}

export interface ShareOutput {
  readonly preview: SharePreview;
  /** The serialised file; only when asked for (a preview does not serialise). */
  readonly text?: string;
}

/** Findings listed in a preview; the counts are always complete. */
export const MAX_PREVIEW_FINDINGS = 500;

/** `rules` null: export as is. */
export function shareTraces(traces: readonly Trace[], format: ShareFormat, rules: RedactionRules | null, opts: { serialise: boolean; maxFindings?: number }): ShareOutput {
  let out = traces;
  let preview: SharePreview;
  const spans = traces.reduce((n, t) => n + t.spans.length, 0);
  if (rules) {
    const r = createRedactor({ ...rules, maxFindings: opts.maxFindings ?? MAX_PREVIEW_FINDINGS });
    out = redactTraces(traces, r);
    // Names from the redacted copy: the preview is on screen and a name may hold a secret too.
    const names = spanNames(out, r.findings());
    const counts = [...r.counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const findings = r.findings().map((f) => ({ ...f, spanName: names.get(`${f.traceId}/${f.spanId}`) ?? '' }));
    preview = { traces: traces.length, spans, redacted: r.total(), counts, countsText: formatRedactionCounts(r.counts), findings, findingsTruncated: findings.length < r.total(), redactedExport: true };
  } else {
    preview = { traces: traces.length, spans, redacted: 0, counts: [], countsText: 'not redacted', findings: [], findingsTruncated: false, redactedExport: false };
  }
  return opts.serialise ? { preview, text: serialise(out, format) } : { preview };
}

export function serialise(traces: readonly Trace[], format: ShareFormat): string {
  switch (format) {
    case 'otlp-json':
      return serializeOtlpJson(traces, { pretty: true });
    case 'otlp-jsonl':
      return toOtlpJsonLines(traces);
    case 'chrome':
      return JSON.stringify(toChromeTrace(traces));
  }
}

export function isShareFormat(v: unknown): v is ShareFormat {
  return typeof v === 'string' && (SHARE_FORMATS as readonly string[]).includes(v);
}

/** The names of the spans that have findings. */
function spanNames(traces: readonly Trace[], findings: readonly { traceId: string; spanId: string }[]): Map<string, string> {
  const m = new Map<string, string>();
  if (!findings.length) return m;
  const wanted = new Set(findings.map((f) => `${f.traceId}/${f.spanId}`));
  for (const t of traces) {
    for (const s of t.spans) {
      const k = `${s.traceId}/${s.spanId}`;
      if (wanted.has(k) && !m.has(k)) m.set(k, s.name);
    }
  }
  return m;
}
