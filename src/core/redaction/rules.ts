// The default value rules: what a secret or a personal value looks like inside any string.
//
// Each rule is a global regex; `group` names the capture group that is the secret when the regex
// also matches context (the "Bearer " before a token, the "password=" before a value), so only the
// secret is replaced and the text stays readable. `hint` is a cheap literal test, case-insensitive,
// that every match must satisfy: all hints are joined into one pre-filter regex (see redactor.ts), so
// a string that cannot match any rule costs one regex test, not one per rule.
// Order matters: specific token formats run before the context rules, so "Authorization: Bearer
// eyJ…" is counted as a JWT and the context rules skip values that are already `<redacted:…>`.

export interface ValueRule {
  readonly name: string;
  readonly re: RegExp;
  /** Capture group holding the secret; 0 (the default) is the whole match. */
  readonly group?: number;
  /** Literal alternation (regex source) every match contains, tested case-insensitively. */
  readonly hint: string;
  /** Extra check on the secret text (Luhn for cards, shape for bearer tokens). */
  readonly accept?: (secret: string) => boolean;
  /** Shortest string the rule can match: shorter strings skip the rule entirely. */
  readonly minLength: number;
}

/** Context rules do not re-redact a value another rule already replaced. */
const NOT_REDACTED = '(?!<redacted:)';

// Authorization schemes (IANA HTTP Authentication Scheme Registry, plus common vendor ones).
const SCHEMES = 'bearer|basic|digest|token|negotiate|ntlm|apikey|api-key|hoba|mutual|aws4-hmac-sha256|sso-key|dpop';

// Key names whose value is secret in key=value text and URL queries; the name must end here, so
// `max_tokens=5` and `token_count=5` are left alone. Datadog's query-string obfuscation default
// (password/pass/pwd/secret/*key/token/sign/auth) narrowed to whole words.
const SECRET_WORDS =
  'pass(?:word|wd|phrase)?|pwd|secret|client[_-]?secret|consumer[_-]?secret|(?:access|refresh|id|auth|session|csrf|xsrf|oauth|bearer)?[_-]?token|' +
  'csrftoken|xsrftoken|api[_-]?key|(?:access|private|secret|client|signing|encryption|master|session|consumer|subscription)[_-]?key|' +
  'credentials?|signature|sig|x-amz-signature|session[_-]?id|sessionid|jsessionid|phpsessid|jwt';

/** Card numbers: 13–19 digits, single spaces or dashes between them, not inside a longer word or number. */
const CARD = /(?<![\w.-])(?:\d[ -]?){12,18}\d(?![\w-]|\.\d)/g;

export const VALUE_RULES: readonly ValueRule[] = [
  // from: gitleaks private-key; Datadog's PEM rule. An unterminated block is redacted to the end.
  {
    name: 'private-key',
    re: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|$)/g,
    hint: 'PRIVATE KEY',
    minLength: 30,
  },
  // from: gitleaks aws-access-token (AKIA/ASIA/ABIA/ACCA, A3T prefixes; base32 body).
  { name: 'aws-access-key', re: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g, hint: 'A3T|AKIA|ASIA|ABIA|ACCA', minLength: 20 },
  // from: gitleaks github-pat, github-oauth, github-app-token, github-refresh-token, github-fine-grained-pat.
  { name: 'github-token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\w{82})\b/g, hint: 'gh[pousr]_|github_pat_', minLength: 40 },
  // from: gitleaks gitlab-pat, -ptt, -rrt, -deploy-token and friends (glpat-, glptt-, gldt-, GR1348941…).
  {
    name: 'gitlab-token',
    re: /\b(?:(?:glpat|glptt|gldt|glrt|glcbt|glsoat|glft|glimt|gloas|glagent)-[\w-]{20,}(?:\.[0-9a-z]{2,9})?|GR1348941[\w-]{20,})/g,
    hint: 'gl[a-z]{2,5}-|GR1348941',
    minLength: 26,
  },
  // from: gitleaks slack-bot-token, -user-token, -legacy-*, -app-token (xoxb-, xoxp-, xapp-…).
  { name: 'slack-token', re: /\b(?:xox[abeoprs]|xapp)-[A-Za-z0-9-]{10,}/g, hint: 'xox|xapp-', minLength: 15 },
  // from: gitleaks slack-webhook-url.
  { name: 'slack-webhook', re: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{20,}/g, hint: 'hooks\\.slack\\.com', minLength: 40 },
  // from: gitleaks stripe-access-token (secret and restricted keys; publishable pk_ keys are public).
  { name: 'stripe-key', re: /\b(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,99}\b/g, hint: 'sk_|rk_', minLength: 18 },
  // from: gitleaks gcp-api-key.
  { name: 'google-api-key', re: /\bAIza[\w-]{35}(?![\w-])/g, hint: 'AIza', minLength: 39 },
  // from: Datadog's obfuscation default (ey[I-L] header and payload) and gitleaks jwt.
  { name: 'jwt', re: /\bey[I-L][\w-]{10,}\.ey[I-L][\w-]{10,}\.[\w-]*/g, hint: 'ey[I-L]', minLength: 30 },
  // from: backends/redact.ts and Datadog's "authorization" key: the credential after the scheme.
  {
    name: 'auth-header',
    re: new RegExp(`\\b(?:proxy-)?authorization["']?\\s*[:=]\\s*["']?(?:(?:${SCHEMES})\\s+)?${NOT_REDACTED}(?!(?:${SCHEMES})\\s)([^\\s"',;]+)`, 'gi'),
    group: 1,
    hint: 'authorization',
    minLength: 15,
  },
  // from: Datadog's bearer rule. The token must not read like a word ("Bearer realm").
  { name: 'bearer', re: /\bbearer\s+([A-Za-z0-9._~+/-]{8,}=*)/gi, group: 1, hint: 'bearer', accept: looksLikeCredential, minLength: 15 },
  // from: RFC 7617: base64 of "user:password", so it must decode to text with a colon ("Basic authentication" does not).
  { name: 'basic-auth', re: /\bbasic\s+([A-Za-z0-9+/]{4,}={0,2})(?![\w+/=-])/gi, group: 1, hint: 'basic', accept: isBasicCredential, minLength: 10 },
  // from: Elastic's sanitize_field_names (set-cookie, cookie): the whole header value.
  {
    name: 'cookie',
    re: new RegExp(`\\b(?:set-)?cookie["']?\\s*[:=]\\s*["']?${NOT_REDACTED}([^"'\\r\\n]+)`, 'gi'),
    group: 1,
    hint: 'cookie',
    minLength: 8,
  },
  // from: backends/redact.ts (user:password@ in URLs); RFC 3986 userinfo.
  { name: 'url-password', re: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^/\s@]+)@/gi, group: 1, hint: ':\\/\\/', minLength: 8 },
  // from: Datadog's query-string obfuscation default: password=, api_key=, token= in queries and text.
  {
    name: 'secret-param',
    re: new RegExp(`(?<![A-Za-z0-9])(?:${SECRET_WORDS})(?:["']?\\s*(?:=|%3D|:)\\s*["']?)${NOT_REDACTED}([^\\s&"',;<>}]+)`, 'gi'),
    group: 1,
    hint: 'pass|pwd|secret|token|key|credential|sig|sess|jwt',
    accept: notPlaceholder,
    minLength: 4,
  },
  // from: the HTML living standard's valid e-mail address, with a dotted domain.
  { name: 'email', re: /(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g, hint: '@', minLength: 6 },
  // from: ISO/IEC 7812 (issuer prefixes) and the Luhn check, which keep ids and timestamps out.
  { name: 'card', re: CARD, hint: '\\d{4}[ -]?\\d{4}', accept: isCardNumber, minLength: 13 },
];

/** SQL bind parameters, templates and masks (`oauth_token = ?`, `token={token}`) hold no secret. */
export function notPlaceholder(s: string): boolean {
  return !/^(?:\?+|\$\d+|%[sd]|:\w+|@\w+|\$?\{\w*\}?|\*+|x+|null|none|undefined|true|false)$/i.test(s);
}

export function isBasicCredential(s: string): boolean {
  if (s.length % 4 === 1) return false;
  const text = Buffer.from(s, 'base64').toString('latin1');
  return text.includes(':') && /^[\x20-\x7e\u00a0-\u00ff]+$/.test(text);
}

/** Bearer values must look like a credential: a digit, a symbol, or mixed case. */
export function looksLikeCredential(s: string): boolean {
  return /[0-9+/=._~-]/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s.slice(1)));
}

/**
 * A payment card number: 13–19 digits with a known issuer prefix (Visa 4, Mastercard 51–55 and
 * 2221–2720, Amex 34/37, Discover/UnionPay/Maestro 5x/6x, JCB 35, Diners 30/36/38) passing Luhn.
 * The prefix check keeps epoch times (1.7e18 ns, 1.7e12 ms start with 1) out; Luhn drops 90% of
 * the other digit runs.
 */
export function isCardNumber(text: string): boolean {
  const digits = text.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  const d0 = digits.charCodeAt(0) - 48;
  const d2 = Number(digits.slice(0, 2));
  const d4 = Number(digits.slice(0, 4));
  const issuer = d0 === 4 || (d2 >= 50 && d2 <= 69) || d2 === 34 || d2 === 37 || d2 === 35 || d2 === 30 || d2 === 36 || d2 === 38 || (d4 >= 2221 && d4 <= 2720);
  return issuer && luhn(digits);
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Rule name of the whole-value rule for secret attribute keys (password, authorization, cookie…). */
export const SECRET_KEY_RULE = 'secret-key';
/** Rule name of the user's extra keys (`keys` option, --redact-key). */
export const CUSTOM_KEY_RULE = 'custom-key';

export const DEFAULT_RULE_NAMES: readonly string[] = [SECRET_KEY_RULE, ...VALUE_RULES.map((r) => r.name)];
