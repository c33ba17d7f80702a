// Reading demands: the public board and tracking pages (board-queries.ts) and the office's and
// units' working views (work-queries.ts), joined here as the one entry point callers use.
// Private columns leave only through the working views (staffView(), get()).
import type { Db } from '../plugins/db.ts';
import { createDemandBoardQueries, type DemandBoardOptions } from './board-queries.ts';
import { createDemandWorkQueries } from './work-queries.ts';

export type { DemandBoardOptions } from './board-queries.ts';

export function createDemandQueries(db: Db, opts: DemandBoardOptions = {}) {
  return { ...createDemandWorkQueries(db), ...createDemandBoardQueries(db, opts) };
}
