// The units table (every unit's figures: a grouped scan of the pledges), kept per version of the
// public record (src/cache/write-counters.ts) under one memo entry per filter and sort, whoever
// asks for it: the units page, the API, the feeds index and the widgets share the same entries.
import type { AggregateMemo } from '../cache/aggregates.ts';
import type { UnitKind } from '../../db/schema.ts';
import type { StatsRepository, UnitSort } from './repository.ts';

export function keptUnitsTable(aggregates: AggregateMemo, stats: StatsRepository, o: { kind?: UnitKind; sort?: UnitSort } = {}) {
  return aggregates.get(`units:${JSON.stringify({ kind: o.kind, sort: o.sort })}`, () => stats.unitsTable(o), []);
}
