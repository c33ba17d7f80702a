// Demo data of features built on the pledge board (ratings, suggestions, deadline requests,
// service windows, press notices). Each runs after the core demo is loaded, reads the ids it
// needs from the database and must be deterministic (seeded Random, days from `today`).
import type { Db } from '../plugins/db.ts';
import { seedSuggestions } from './suggestions.ts';
import { seedRatings } from './ratings.ts';
import { seedAccountability } from './accountability.ts';
import { seedPress } from './press.ts';
import { seedWindows } from './windows.ts';

export interface DemoExtraContext {
  /** The campaign's today (ISO day) and zone. */
  today: string;
  timeZone: string;
  /** The site's address, for anything that prints links (press notices' QR codes). */
  publicUrl: string;
}

export type DemoExtra = (db: Db, ctx: DemoExtraContext) => Promise<void>;

/** In order: later ones may read what earlier ones wrote (the press notices come last). */
export const demoExtras: DemoExtra[] = [seedWindows, seedSuggestions, seedRatings /* after the service-windows seeder: it rates the windows that one marks */, seedAccountability, seedPress /* last: prints the others' pledges */];
