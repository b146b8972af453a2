// Stands in for VS Code and the Spanlens host on the dev page: provides acquireVsCodeApi(), answers
// the webview's messages with synthetic DTOs (synthetic.js) and records everything the webview posts
// in window.__posted. URL parameters:
//   rows=2000      spans in trace 0          traces=1      traces in the file (>1 shows the list)
//   theme=dark|light|hc                      scenario=trace|error|loading
//   latency=5      ms before each reply      skew=1        add a clock-skew warning
//   fileWarnings=1 add file-level warnings   open=N        send traceData for trace N right away
//   hold=1         send fileLoaded only; the test posts traceData via window.__stub
// window.__stub.searchOverride = SearchResultDto: every search is answered with it (benchmarks).
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const num = (k, d) => (params.has(k) ? Number(params.get(k)) : d);
  const rows = num('rows', 2000);
  const traceCount = Math.max(1, num('traces', 1));
  const theme = params.get('theme') || 'dark';
  const scenario = params.get('scenario') || 'trace';
  const latency = num('latency', 5);
  const S = window.SpanlensSynthetic;

  const themeClass = theme === 'light' ? 'vscode-light' : theme === 'hc' ? 'vscode-high-contrast' : 'vscode-dark';
  document.body.classList.add(themeClass);
  document.body.setAttribute('data-vscode-theme-kind', themeClass);

  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile, line: e.lineNumber });
  });

  const traces = new Map();
  function trace(i) {
    if (!traces.has(i)) {
      const n = i === 0 ? rows : 40 + ((i * 137) % 900);
      traces.set(i, S.makeTrace(i, n, { skew: num('skew', 1) === 1 && i === 0 }));
    }
    return traces.get(i);
  }

  function send(msg) {
    if (msg.type === 'traceData') window.__lastTraceSentAt = performance.now();
    window.postMessage(msg, '*');
  }
  function later(fn) {
    setTimeout(fn, latency);
  }
  function fileLoaded() {
    const summaries = [];
    for (let i = 0; i < traceCount; i++) summaries.push(S.summaryOf(trace(i)));
    return {
      type: 'fileLoaded',
      fileName: 'checkout-trace.otlp.json',
      format: 'OTLP JSON',
      traces: summaries,
      warnings: num('fileWarnings', 1) ? ['Line 812: span with an empty trace id skipped', 'Attribute value of ' + S.XSS + ' truncated'] : [],
    };
  }
  function traceData(i) {
    return { type: 'traceData', waterfall: trace(i).waterfall };
  }

  function onWebviewMessage(m) {
    window.__posted.push(m);
    if (m.type === 'metric') window.__metricAt = performance.now();
    switch (m.type) {
      case 'ready':
        if (scenario === 'error') {
          later(() =>
            send({
              type: 'loadError',
              error: {
                fileName: 'broken ' + S.XSS + '.json',
                message: "Expected ',' or '}' after property value in JSON " + S.XSS,
                detectedFormat: undefined,
                formatsTried: ['OTLP JSON', 'Jaeger JSON', 'Zipkin JSON', 'Chrome trace events'],
                location: { line: 3, column: 7, offset: 52, path: 'resourceSpans[0].scopeSpans[0].spans[4]' },
                locationText: 'line 3, column 7 (byte 52)',
              },
            }),
          );
        } else if (scenario === 'loading') {
          send({ type: 'loading', fileName: 'huge.otlp.jsonl', bytes: 734003200 });
        } else {
          send({ type: 'loading', fileName: 'checkout-trace.otlp.json', bytes: rows * 900 });
          later(() => {
            send(fileLoaded());
            if (params.has('hold')) return; // the test sends traceData itself
            if (traceCount === 1) send(traceData(0));
            else if (params.has('open')) send(traceData(num('open', 0)));
          });
        }
        break;
      case 'selectTrace':
        later(() => send(traceData(m.traceIndex)));
        break;
      case 'openLink':
        later(() => {
          send(traceData(m.traceIndex));
          send({ type: 'revealSpan', traceIndex: m.traceIndex, spanIndex: m.spanIndex });
        });
        break;
      case 'request': {
        const t = trace(m.params.traceIndex);
        later(() => {
          try {
            const result =
              m.method === 'spanDetail'
                ? S.spanDetail(t, m.params.spanIndex, [0, 1, 2].slice(0, traceCount).map((i) => trace(i).waterfall))
                : window.__stub.searchOverride || S.search(t, m.params.query);
            send({ type: 'response', requestId: m.requestId, ok: true, result });
          } catch (e) {
            send({ type: 'response', requestId: m.requestId, ok: false, error: String(e && e.message ? e.message : e) });
          }
        });
        break;
      }
      default:
        break;
    }
  }

  let acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return {
      postMessage(m) {
        // Structured clone like the real channel, so typed arrays and plain objects only.
        onWebviewMessage(structuredClone(m));
      },
      getState() {
        const s = sessionStorage.getItem('spanlens-dev-state');
        return s ? JSON.parse(s) : undefined;
      },
      setState(s) {
        sessionStorage.setItem('spanlens-dev-state', JSON.stringify(s));
        window.__stateWrites = (window.__stateWrites || 0) + 1;
      },
    };
  };
  window.__stub = { send, trace, traceData, fileLoaded, searchOverride: null };
})();
