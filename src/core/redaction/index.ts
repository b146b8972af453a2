// Redaction of secrets and personal data in traces before they leave the machine (convert, fetch,
// collect --out, and on-screen masking through Redactor.match).
//
//   const r = createRedactor({ patterns, keys, allow, hmacKey });
//   const safe = redactTraceFile(file, r);        // plain-object copy, same ids/times/tree
//   formatRedactionCounts(r.counts)               // "redacted 5 values: jwt 2, email 3"
//
// Rules: ./rules.ts (value patterns) and ./keys.ts (secret attribute keys). A match becomes
// `<redacted:RULE>`, or `<redacted:RULE:HASH12>` (HMAC-SHA256 with hmacKey) when equal values must stay equal.
export {
  createRedactor,
  RedactionPatternError,
  type RedactionField,
  type RedactionFinding,
  type RedactionLocation,
  type RedactionRules,
  type Redactor,
  type RedactorOptions,
} from './redactor';
export { redactLogBody, redactSpans, redactTraceFile, redactTraces } from './traces';
export { redactLogRecords } from './logs';
export { formatRedactionCounts } from './format';
export { CUSTOM_KEY_RULE, DEFAULT_RULE_NAMES, SECRET_KEY_RULE, isCardNumber, luhn } from './rules';
export { isSecretKey } from './keys';
