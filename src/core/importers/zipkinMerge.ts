// Zipkin reuses span ids in two legitimate ways, and the trace tree needs unique ids:
//  1. Fragments: one side of a span reported in several pieces (late annotations/tags, flushes),
//     sometimes without kind or timestamp. Zipkin merges pieces with the same id, the same side and
//     compatible endpoints (zipkin-lens span-cleaner `mergeV2ById`). We do the same, and also merge
//     a kind-less, unshared piece into the side whose host it names (Zipkin would leave it as a
//     separate, timeless span; 84 such pieces in the SmartThings trace).
//  2. Shared RPC spans: the CLIENT and the SERVER it called carry the same id (the server usually
//     with `shared: true`). Both are kept — the client's timing shows the network and queueing
//     time around the server — and the server becomes the client's child, as zipkin-lens draws
//     it. The server gets the derived id `<id>:server` (`<id>:server-2`... when several servers
//     answered one client). Children naming the shared id attach to the server on the same host,
//     else to the client (zipkin's SpanNode rule). Jaeger's SpanIDDeduper does the same with a
//     made-up hex id; a readable suffix keeps the original id visible.
// Ids that collide in any other way are left alone for the trace builder to flag as duplicates.
import { endpointsCompatible, endpointsEqual, mergeEndpoints, ZSpan } from './zipkinSpan';

/**
 * Instrumentation that mixes 64- and 128-bit trace ids reports the low half as the 64-bit id;
 * Zipkin treats both as one trace (it keeps the longest). Rewrites such 64-bit ids to the 128-bit one.
 */
export function unifyTraceIds(spans: readonly ZSpan[]): void {
  const longByLow = new Map<string, string | null>();
  for (const s of spans) {
    if (s.traceId.length !== 32) continue;
    const low = s.traceId.slice(16);
    const known = longByLow.get(low);
    if (known === undefined) longByLow.set(low, s.traceId);
    else if (known !== s.traceId) longByLow.set(low, null); // ambiguous: leave the 64-bit ids alone
  }
  if (longByLow.size === 0) return;
  for (const s of spans) {
    if (s.traceId.length !== 16) continue;
    const long = longByLow.get(s.traceId);
    if (long) s.traceId = long;
  }
}

/** Merges fragments and separates shared server spans; returns the spans to show, in input order. */
export function mergeSpansById(input: readonly ZSpan[]): ZSpan[] {
  // Most ids are unique: store the span itself and only make a list on the first collision.
  const first = new Map<string, ZSpan>();
  const groups = new Map<string, ZSpan[]>();
  const spans: ZSpan[] = [];
  for (const s of input) {
    const key = `${s.traceId} ${s.id}`;
    const single = first.get(key);
    if (!single) {
      first.set(key, s);
      spans.push(s);
      continue;
    }
    let group = groups.get(key);
    if (!group) groups.set(key, (group = [single]));
    const target = mergeTarget(group, s);
    if (target) {
      mergeInto(target, s);
    } else {
      group.push(s);
      spans.push(s);
    }
  }

  const serversByKey = new Map<string, ZSpan[]>();
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    const clients = group.filter((s) => s.kind === 'CLIENT');
    const servers = group.filter((s) => s.kind === 'SERVER');
    if (clients.length !== 1 || servers.length === 0) continue;
    const client = clients[0];
    servers.forEach((srv, n) => {
      srv.id = n === 0 ? `${client.id}:server` : `${client.id}:server-${n + 1}`;
      srv.parentId = client.id;
      srv.sharedWithClient = true;
    });
    serversByKey.set(key, servers);
  }
  if (serversByKey.size) reparentChildrenOfSharedSpans(spans, serversByKey);
  return spans;
}

function reparentChildrenOfSharedSpans(spans: readonly ZSpan[], serversByKey: ReadonlyMap<string, ZSpan[]>): void {
  for (const s of spans) {
    if (s.parentId === undefined || s.sharedWithClient) continue;
    const servers = serversByKey.get(`${s.traceId} ${s.parentId}`);
    if (!servers) continue;
    const sameHost = servers.find((v) => endpointsEqual(v.local, s.local));
    const service = s.local?.serviceName;
    const sameService = service ? servers.filter((v) => v.local?.serviceName === service) : [];
    const parent = sameHost ?? (sameService.length === 1 ? sameService[0] : undefined);
    if (parent) s.parentId = parent.id;
  }
}

/** A piece with no kind and no shared flag does not know which side it belongs to. */
function isSidelessPiece(s: ZSpan): boolean {
  return !s.kind && !s.shared;
}

function canMerge(a: ZSpan, b: ZSpan): boolean {
  if (a.kind && b.kind && a.kind !== b.kind) return false;
  if (a.shared !== b.shared && !isSidelessPiece(a) && !isSidelessPiece(b)) return false;
  // Two complete records of one side with different start times are separate calls (e.g. the
  // same id answered twice): keep both rather than lose one's timing.
  if (a.kind && b.kind && a.start !== undefined && b.start !== undefined && a.start !== b.start) return false;
  return endpointsCompatible(a.local, b.local);
}

function mergeTarget(group: readonly ZSpan[], s: ZSpan): ZSpan | undefined {
  let fallback: ZSpan | undefined;
  for (const g of group) {
    if (!canMerge(g, s)) continue;
    if (g.kind === s.kind && g.shared === s.shared) return g;
    fallback ??= g;
  }
  return fallback;
}

/** Folds `s` into `target` in place. The record with a kind (else the earlier one) wins conflicts. */
function mergeInto(target: ZSpan, s: ZSpan): void {
  const sWins = !target.kind && !!s.kind;
  const [p, q] = sWins ? [s, target] : [target, s];
  const annotations = dedupeAnnotations([...target.annotations, ...s.annotations]);
  const tags = new Map(q.tags);
  for (const [k, v] of p.tags) tags.set(k, v);
  target.parentId = p.parentId ?? q.parentId;
  target.name = p.name || q.name;
  target.kind = p.kind ?? q.kind;
  target.start = p.start ?? q.start;
  target.duration = p.duration ?? q.duration;
  target.local = mergeEndpoints(p.local, q.local);
  target.remote = mergeEndpoints(p.remote, q.remote);
  target.annotations = annotations;
  target.tags = tags;
  target.shared = p.shared || q.shared;
}

function dedupeAnnotations(list: ZSpan['annotations']): ZSpan['annotations'] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const k = `${a.time}\u0000${a.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
