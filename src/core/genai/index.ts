// GenAI spans: one table of dialect keys (table.ts), the per-span reader, and per-trace totals.
export * from './table';
export * from './messages';
export * from './read';
export * from './totals';
