#!/usr/bin/env python3
"""Independent oracle for the corpus conformance test.

Computes, straight from the raw JSON with Python (no Spanlens code), what `spanlens inspect --json`
must report for each corpus file of the formats whose semantics are unambiguous: trace count, span
count and, per trace, span count, root name, services and error count.

Root name rule (the same one the waterfall uses): the earliest span with no parent id; if every
span has a parent id (a fragment), the earliest span whose parent is not in the trace.

Usage: corpus_truth.py CORPUS_DIR > test/fixtures/corpus-truth.json
"""
import base64, json, os, re, sys

HEX = re.compile(r'^[0-9a-fA-F]+$')
B64 = re.compile(r'^[A-Za-z0-9+/]+={0,2}$')

def norm_id(raw, nbytes):
    if raw is None:
        return None
    raw = str(raw)
    if len(raw) == nbytes * 2 and HEX.match(raw):
        return raw.lower()
    if len(raw) == ((nbytes + 2) // 3) * 4 and B64.match(raw):
        b = base64.b64decode(raw)
        if len(b) == nbytes:
            return b.hex()
    return raw.lower() if HEX.match(raw) else raw

def null_id(raw):
    return raw is None or raw == '' or re.match(r'^0+$', raw) or re.match(r'^A+=*$', raw)

def g(d, *keys):
    for k in keys:
        if isinstance(d, dict) and k in d:
            return d[k]
    return None

def summarise(spans):
    """spans: list of dicts {trace, id, parent, name, start, service, error} in file order."""
    traces = {}
    for s in spans:
        traces.setdefault(s['trace'], []).append(s)
    out = []
    for tid, ss in traces.items():
        ids = {s['id'] for s in ss}
        true_roots = [s for s in ss if s['parent'] is None]
        orphans = [s for s in ss if s['parent'] is not None and s['parent'] not in ids]
        pool = true_roots or orphans
        root = min(pool, key=lambda s: s['start']) if pool else None
        out.append({
            'traceId': tid,
            'spanCount': len(ss),
            'rootName': root['name'] if root else '',
            'services': sorted({s['service'] for s in ss}),
            'errorCount': sum(1 for s in ss if s['error']),
        })
    return out

def attr_str(attrs, key):
    for a in attrs or []:
        if a.get('key') == key:
            v = a.get('value') or {}
            return g(v, 'stringValue', 'string_value')
    return None

def otlp_spans(doc):
    rs_list = g(doc, 'resourceSpans', 'resource_spans', 'batches')
    if rs_list is None and isinstance(doc.get('trace'), dict):
        rs_list = g(doc['trace'], 'resourceSpans', 'resource_spans', 'batches')
    if rs_list is None and isinstance(doc.get('result'), dict):
        rs_list = g(doc['result'], 'resourceSpans', 'resource_spans')
    out = []
    for rs in rs_list or []:
        res = rs.get('resource') or {}
        service = attr_str(res.get('attributes'), 'service.name') or 'unknown_service'
        for ss in (g(rs, 'scopeSpans', 'scope_spans', 'instrumentationLibrarySpans') or []):
            for sp in ss.get('spans') or []:
                st = sp.get('status') or {}
                code = st.get('code')
                parent = g(sp, 'parentSpanId', 'parent_span_id')
                out.append({
                    'trace': norm_id(g(sp, 'traceId', 'trace_id'), 16),
                    'id': norm_id(g(sp, 'spanId', 'span_id'), 8),
                    'parent': None if null_id(parent) else norm_id(parent, 8),
                    'name': sp.get('name', ''),
                    'start': int(g(sp, 'startTimeUnixNano', 'start_time_unix_nano') or 0),
                    'service': service,
                    'error': code in (2, 'STATUS_CODE_ERROR'),
                })
    return out

def jaeger_spans(doc):
    traces = doc['data'] if isinstance(doc, dict) and isinstance(doc.get('data'), list) else [doc]
    out = []
    for t in traces:
        procs = t.get('processes') or {}
        for sp in t.get('spans') or []:
            tid = norm_id(sp['traceID'], 16)
            parent = None
            refs = sp.get('references') or []
            child_of = [r for r in refs if r.get('refType') == 'CHILD_OF' and norm_id(r.get('traceID'), 16) == tid]
            same_trace = [r for r in refs if norm_id(r.get('traceID'), 16) == tid]
            chosen = (child_of or same_trace or [None])[0]
            if chosen is not None:
                parent = norm_id(chosen.get('spanID'), 8)
            proc = sp.get('process') or procs.get(sp.get('processID'), {})
            tags = {x.get('key'): x.get('value') for x in (sp.get('tags') or [])}
            err = tags.get('error') in (True, 'true') or tags.get('otel.status_code') == 'ERROR'
            out.append({'trace': tid, 'id': norm_id(sp['spanID'], 8), 'parent': parent,
                        'name': sp.get('operationName', ''), 'start': sp.get('startTime', 0),
                        'service': proc.get('serviceName') or 'unknown_service', 'error': err})
    return out

def load(path):
    text = open(path, encoding='utf-8').read()
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(l) for l in text.splitlines() if l.strip()]

def main(corpus):
    truth = {}
    for folder in ('otlp-json', 'jaeger-json'):
        for name in sorted(os.listdir(os.path.join(corpus, folder))):
            rel = f'{folder}/{name}'
            docs = load(os.path.join(corpus, rel))
            spans = []
            try:
                for d in docs:
                    if folder == 'otlp-json':
                        spans += otlp_spans(d)
                    elif isinstance(d, dict) and ('traceID' in d or isinstance(d.get('data'), list)) and 'state' not in d:
                        spans += jaeger_spans(d)
                    else:
                        raise ValueError('variant not covered by the oracle')
            except (ValueError, KeyError):
                continue
            if not spans:
                continue  # a wrapper this oracle does not read: no claim either way
            traces = summarise(spans)
            truth[rel] = {'traceCount': len(traces), 'spanCount': len(spans), 'traces': traces}
    json.dump(truth, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')

if __name__ == '__main__':
    main(sys.argv[1])
