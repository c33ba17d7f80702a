// The record. camelCase properties over snake_case columns; dates that are calendar days
// (due dates, start dates, completion days) are ISO 'YYYY-MM-DD' text in the campaign's
// time zone; instants are ISO-8601 UTC text. The tables live in db/tables/, one file per part
// of the record; this file is what the app and drizzle-kit import.
export * from './tables/record.ts';
export * from './tables/demands.ts';
export * from './tables/supervision.ts';
export * from './tables/press.ts';
export * from './tables/search.ts';
