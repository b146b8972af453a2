// Path arithmetic that works the same whatever OS we run on: a trace recorded on Windows is resolved
// on Linux and the other way round, so node's `path` (which follows the running OS) cannot be used.
// Internally every path uses forward slashes; a Windows drive letter stays at the front ("c:/a/b").

const WIN_DRIVE_RE = /^[a-zA-Z]:(?:[\\/]|$)/;
/** Backslashes, doubled slashes, "." or ".." segments, a trailing slash. */
const NEEDS_NORMALIZING_RE = /\\|\/\/|(^|\/)\.\.?(\/|$)|.\/$/;
const SCHEME_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** Backslashes to slashes, duplicate slashes collapsed (a leading UNC "//" kept), "." and ".." resolved. */
export function normalizePath(p: string): string {
  // Fast path (most paths): nothing to rewrite.
  if (!NEEDS_NORMALIZING_RE.test(p) && p !== '') return p;
  let s = p.replace(/\\/g, '/');
  const unc = s.startsWith('//') && !s.startsWith('///');
  s = s.replace(/\/{2,}/g, '/');
  if (unc) s = '/' + s;
  const drive = WIN_DRIVE_RE.test(s) ? s.slice(0, 2) : '';
  const rest = drive ? s.slice(2) : s;
  const absolute = rest.startsWith('/');
  const out: string[] = [];
  for (const seg of rest.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const body = out.join('/');
  const prefix = drive + (absolute ? (unc ? '//' : '/') : '');
  return prefix + body || (absolute ? prefix : '.');
}

export function isWindowsAbsolute(p: string): boolean {
  return WIN_DRIVE_RE.test(p) || p.startsWith('\\\\');
}

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || isWindowsAbsolute(p);
}

/** Last segment. */
export function baseName(p: string): string {
  const s = p.replace(/\\/g, '/');
  const i = s.lastIndexOf('/', s.endsWith('/') ? s.length - 2 : s.length);
  return s.slice(i + 1).replace(/\/$/, '');
}

export function dirName(p: string): string {
  const s = normalizePath(p);
  const i = s.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  if (i === 2 && WIN_DRIVE_RE.test(s)) return s.slice(0, 3);
  return s.slice(0, i);
}

/** Joins and normalises; an absolute later part restarts the path, like path.resolve without cwd. */
export function joinPath(...parts: string[]): string {
  let acc = '';
  for (const part of parts) {
    if (!part) continue;
    acc = isAbsolutePath(part) || !acc ? part : acc.replace(/[\\/]+$/, '') + '/' + part;
  }
  return normalizePath(acc || '.');
}

/** Path segments without empty ones and without a drive letter ("c:/a/b.ts" -> ["a", "b.ts"]). */
export function pathSegments(p: string): string[] {
  const s = normalizePath(p);
  return (WIN_DRIVE_RE.test(s) ? s.slice(2) : s).split('/').filter((x) => x !== '' && x !== '.');
}

/** `child` relative to `parent` when it lies under it, else undefined. Both normalised first. */
export function relativeIfInside(parent: string, child: string, ignoreCase = false): string | undefined {
  const p = normalizePath(parent).replace(/\/$/, '');
  const c = normalizePath(child);
  const pc = ignoreCase || WIN_DRIVE_RE.test(p) ? p.toLowerCase() : p;
  const cc = ignoreCase || WIN_DRIVE_RE.test(c) ? c.toLowerCase() : c;
  if (cc === pc) return '';
  if (cc.startsWith(pc + '/')) return c.slice(p.length + 1);
  if (p === '/' && c.startsWith('/')) return c.slice(1);
  return undefined;
}

/** Relative path from `from` (a directory) to `to`, with "../" as needed. Both absolute. */
export function relativePath(from: string, to: string): string {
  const a = pathSegments(from);
  const b = pathSegments(to);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || '.';
}

/** The scheme of a URL-like string ("file", "webpack", "http"), lower-case; undefined for plain paths and "C:\". */
export function urlScheme(s: string): string | undefined {
  const m = SCHEME_RE.exec(s);
  return m && !WIN_DRIVE_RE.test(s) ? m[1].toLowerCase() : undefined;
}

/** `file:///a/b%20c.ts` -> "/a/b c.ts"; `file:///C:/x.ts` -> "c:/x.ts"; `file://host/share/x` -> "//host/share/x". */
export function fileUrlToPath(url: string): string {
  let rest = url.replace(/^file:\/\//i, '');
  const q = rest.search(/[?#]/);
  if (q >= 0) rest = rest.slice(0, q);
  let host = '';
  if (!rest.startsWith('/')) {
    const slash = rest.indexOf('/');
    host = slash < 0 ? rest : rest.slice(0, slash);
    rest = slash < 0 ? '/' : rest.slice(slash);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    decoded = rest;
  }
  if (/^\/[a-zA-Z]:/.test(decoded)) return normalizePath(decoded.slice(1, 2).toLowerCase() + decoded.slice(2));
  if (host && host.toLowerCase() !== 'localhost') return '//' + host + normalizePath(decoded);
  return normalizePath(decoded);
}

/** An absolute path to a `file://` URL (what source-map needs to resolve relative sources). */
export function pathToFileUrl(p: string): string {
  const s = normalizePath(p);
  const encoded = s
    .split('/')
    .map((seg, i) => (i === 0 && /^[a-zA-Z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join('/');
  return WIN_DRIVE_RE.test(s) ? 'file:///' + encoded : 'file://' + encoded;
}

/**
 * A recorded location string to a path: `file://` URLs decoded, other schemes (webpack://, app://,
 * vite's /@fs/) reduced to their path part. Returns the scheme it removed, so callers can tell
 * "a real absolute path" from "a path relative to some project root".
 */
export function stripLocationScheme(s: string): { path: string; scheme?: string } {
  const scheme = urlScheme(s);
  if (scheme === 'file') return { path: fileUrlToPath(s), scheme };
  if (scheme) {
    // Bundler URLs name a path relative to the project (js-debug's default overrides agree):
    // webpack://[namespace]/./src/x.ts, webpack:///./src/x.ts, webpack:///src/x.ts -> src/x.ts;
    // four slashes are an absolute path (webpack:////abs/x.ts), webpack:///C:/x.ts a Windows one.
    // Same for turbopack://[project]/, meteor://💻app/, http://host/ (the host is dropped).
    let rest = s.slice(scheme.length + 3);
    const q = rest.search(/[?#]/);
    if (q >= 0) rest = rest.slice(0, q);
    if (rest.startsWith('/')) rest = rest.slice(1);
    else {
      const slash = rest.indexOf('/');
      rest = slash < 0 ? '' : rest.slice(slash + 1);
    }
    let decoded = rest;
    try {
      decoded = decodeURIComponent(rest);
    } catch {
      /* keep as is */
    }
    const p = normalizePath(decoded);
    return { path: p.startsWith('~/') ? 'node_modules/' + p.slice(2) : p, scheme }; // webpack's "~" = node_modules
  }
  if (s.startsWith('/@fs/')) return { path: normalizePath(s.slice(4)), scheme: 'vite' };
  return { path: s };
}

/** Case-folds a Windows path (drive paths are case-insensitive there), leaves POSIX paths alone. */
export function comparablePath(p: string, ignoreCase = false): string {
  const s = normalizePath(p);
  return ignoreCase || WIN_DRIVE_RE.test(s) ? s.toLowerCase() : s;
}
