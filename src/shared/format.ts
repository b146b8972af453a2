// Text formatting shared by the webview, the host and the CLI, so a duration reads the same in
// the waterfall, a CodeLens and a terminal. Pure functions: the webview's tsconfig may see this
// file and the protocol, nothing else of src/.

/** Human duration: "812 µs", "4.1 ms", "12 ms", "3.25 s", "2.5 min". */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const abs = Math.abs(ns);
  if (abs < 1_000) return `${Math.round(ns)} ns`;
  if (abs < 1_000_000) return `${trimNumber(ns / 1_000)} µs`;
  if (abs < 1_000_000_000) return `${trimNumber(ns / 1_000_000)} ms`;
  if (abs < 600_000_000_000) return `${trimNumber(ns / 1_000_000_000)} s`;
  return `${trimNumber(ns / 60_000_000_000)} min`;
}

/** Three significant digits at most, without trailing zeros. */
function trimNumber(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '');
}

/**
 * Bidirectional-text controls (U+202A–U+202E embeddings/overrides, U+2066–U+2069 isolates, U+200E/U+200F
 * marks, U+061C the Arabic letter mark) can make a name read differently from what it is ("Trojan
 * Source"). Every name and value shown to the user goes through `displayText`, which replaces each of
 * them with a visible escape such as "⟨U+202E⟩". Copy buttons keep the original text.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

export function displayText(text: string): string {
  BIDI_CONTROLS.lastIndex = 0;
  if (!BIDI_CONTROLS.test(text)) return text;
  return text.replace(BIDI_CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
