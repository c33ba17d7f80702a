// Which URLs the benchmark drives, found through the public API of the running app so the
// same list works on any generated dataset: the unit with the most pledges (the heaviest unit
// page) and the first pledge of the default list.
export interface Target {
  name: string;
  path: string;
  /** For the vote workload: where to POST and the form body. */
  votePath?: string;
  voteBody?: string;
}

export async function pickTargets(base: string): Promise<Target[]> {
  const units = (await (await fetch(`${base}/api/v1/units`)).json()) as { data: { slug: string; figures: { pledges: number } }[] };
  const biggest = [...units.data].sort((a, b) => b.figures.pledges - a.figures.pledges)[0];
  const pledges = (await (await fetch(`${base}/api/v1/pledges?limit=1&status=in_progress`)).json()) as { data: { id: number }[] };
  const pledgeId = pledges.data[0]?.id;
  if (!biggest || !pledgeId) throw new Error('the dataset has no units or pledges to benchmark');
  return [
    { name: 'home', path: '/' },
    { name: 'pledge list, page 1', path: '/pledges' },
    { name: 'pledge list, filters + Chinese search', path: `/pledges?status=in_progress&sort=progress_desc&q=${encodeURIComponent('小区')}` },
    { name: 'pledge page', path: `/pledges/${pledgeId}`, votePath: `/pledges/${pledgeId}/rating`, voteBody: 'value=satisfied&comment=' },
    // The busiest unit (its pledge count is printed with the dataset line).
    { name: 'unit page, busiest unit', path: `/units/${biggest.slug}` },
    { name: 'league table', path: '/league' },
    { name: 'API pledge list, 50 rows', path: '/api/v1/pledges?limit=50' },
  ];
}
