// Column pieces every table file shares.
import { sql } from 'drizzle-orm';

/** The insert time, as ISO-8601 UTC text with milliseconds (what every instant column holds). */
export const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
