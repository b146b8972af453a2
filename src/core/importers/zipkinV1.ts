// Zipkin v1 semantics: one span record may hold both sides of an RPC, told apart by the core
// annotations cs/cr (client send/receive), sr/ss (server receive/send), ms/mr (messaging), each
// with the endpoint that recorded it. Like Zipkin's own V1SpanConverter, a record is split into
// one v2-style span per side; the server side of a client+server record is marked shared.
// Also used for v2 records that still carry core annotations but no `kind`.
import type { Endpoint, ZAnnotation, ZBinaryAnnotation, ZKind, ZSpan } from './zipkinSpan';

export interface V1Record extends ZSpan {
  readonly binaryAnnotations: readonly ZBinaryAnnotation[];
}

type Core = 'cs' | 'cr' | 'sr' | 'ss' | 'ms' | 'mr';
const CORE = new Set<string>(['cs', 'cr', 'sr', 'ss', 'ms', 'mr']);
const ADDRESS_KEYS = new Set(['sa', 'ca', 'ma']);

export function hasCoreAnnotations(annotations: readonly ZAnnotation[]): boolean {
  return annotations.some((a) => CORE.has(a.value));
}

export function splitByCoreAnnotations(rec: V1Record): ZSpan[] {
  const core: Partial<Record<Core, ZAnnotation>> = {};
  for (const a of rec.annotations) if (CORE.has(a.value)) core[a.value as Core] ??= a;

  const sides: ZSpan[] = [];
  const addSide = (kind: ZKind | undefined, local: Endpoint | undefined, begin?: ZAnnotation, end?: ZAnnotation): ZSpan => {
    const side: ZSpan = { traceId: rec.traceId, id: rec.id, parentId: rec.parentId, name: rec.name, kind, local, annotations: [], tags: new Map(), shared: false, path: rec.path };
    if (begin?.time !== undefined) {
      side.start = begin.time;
      if (end?.time !== undefined && end.time >= begin.time) side.duration = end.time - begin.time;
    }
    sides.push(side);
    return side;
  };
  if (core.cs || core.cr) addSide('CLIENT', core.cs?.endpoint ?? core.cr?.endpoint ?? rec.local, core.cs, core.cr);
  if (core.sr || core.ss) addSide('SERVER', core.sr?.endpoint ?? core.ss?.endpoint ?? rec.local, core.sr, core.ss);
  if (core.ms) addSide('PRODUCER', core.ms.endpoint ?? rec.local, core.ms);
  if (core.mr) addSide('CONSUMER', core.mr.endpoint ?? rec.local, core.mr);
  if (sides.length === 0) {
    // A local span: the host is the one named by the "lc" (local component) annotation, else any.
    const local =
      rec.binaryAnnotations.find((b) => b.key === 'lc' && b.endpoint)?.endpoint ??
      rec.annotations.find((a) => a.endpoint)?.endpoint ??
      rec.binaryAnnotations.find((b) => b.endpoint && !ADDRESS_KEYS.has(b.key))?.endpoint ??
      rec.local;
    addSide(rec.kind, local);
  }

  // The record's own timestamp/duration were set by the side that started the span (the first).
  const owner = sides[0];
  if (rec.start !== undefined) owner.start = rec.start;
  if (rec.duration !== undefined) owner.duration = rec.duration;
  for (const s of sides) if (s !== owner && (s.kind === 'SERVER' || s.kind === 'CONSUMER')) s.shared = true;
  if (rec.shared && sides.length === 1) owner.shared = true;

  const sideFor = (ep: Endpoint | undefined): ZSpan => (ep?.serviceName && sides.find((s) => s.local?.serviceName === ep.serviceName)) || owner;
  const sideOfKind = (...kinds: ZKind[]): ZSpan | undefined => sides.find((s) => s.kind !== undefined && kinds.includes(s.kind));

  for (const a of rec.annotations) {
    if (CORE.has(a.value)) continue; // represented by kind and timing now, as in Zipkin v2
    sideFor(a.endpoint).annotations.push({ time: a.time, value: a.value });
  }
  for (const b of rec.binaryAnnotations) {
    if (ADDRESS_KEYS.has(b.key)) {
      // "sa" = the server's address seen by the client, "ca" = the client's address seen by the server.
      if (!b.endpoint || !isTrue(b.value)) continue;
      const target = b.key === 'sa' ? sideOfKind('CLIENT', 'PRODUCER') : b.key === 'ca' ? sideOfKind('SERVER', 'CONSUMER') : sideOfKind('PRODUCER', 'CONSUMER');
      if (target) target.remote = b.endpoint;
      else if (sides.length === 1 && !owner.kind) owner.remote = b.endpoint;
      continue;
    }
    sideFor(b.endpoint).tags.set(b.key, tagText(b.value));
  }
  // v2 fields of a v2 record with core annotations belong to the side that owns the record.
  for (const [k, v] of rec.tags) if (!owner.tags.has(k)) owner.tags.set(k, v);
  if (rec.remote && !owner.remote) owner.remote = rec.remote;
  return sides;
}

/** Address annotations are flags; a missing value (some writers omit it) counts as set. */
function isTrue(v: unknown): boolean {
  return v === undefined || v === true || v === 1 || v === '1' || v === 'true';
}

function tagText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
