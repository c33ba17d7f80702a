// Previews wait here between upload and apply: in memory, bound to the session that uploaded
// them, for a short while. A restart or an expired preview only means uploading the sheet again;
// applying re-checks every pledge inside its transaction anyway.
import { randomBytes } from 'node:crypto';
import type { Plan } from './plan.ts';

export const PREVIEW_TTL_MS = 30 * 60 * 1000;
const MAX_PREVIEWS = 200;
/** Previews hold the uploaded text; all of them together stay under this many characters. */
const MAX_TOTAL_CHARS = 32 * 1024 * 1024;

export interface StoredPreview {
  id: string;
  sessionId: string;
  userId: number;
  createdAt: number;
  fileName: string;
  plan: Plan;
  /** Rough size in characters, for the memory bound. */
  weight: number;
}

export function createPreviewStore(now: () => number = Date.now) {
  const previews = new Map<string, StoredPreview>();

  function sweep(incoming: number) {
    for (const [id, p] of previews) if (now() - p.createdAt > PREVIEW_TTL_MS) previews.delete(id);
    // Oldest first (a Map keeps insertion order) until the new one fits.
    let total = incoming;
    for (const p of previews.values()) total += p.weight;
    while (previews.size && (previews.size >= MAX_PREVIEWS || total > MAX_TOTAL_CHARS)) {
      const oldest = previews.values().next().value!;
      total -= oldest.weight;
      previews.delete(oldest.id);
    }
  }

  return {
    put(owner: { sessionId: string; userId: number }, fileName: string, plan: Plan): string {
      const weight = plan.rows.reduce((sum, r) => sum + r.body.length + r.reason.length + r.title.length + 200, 0);
      sweep(weight);
      const id = randomBytes(16).toString('base64url');
      previews.set(id, { id, ...owner, createdAt: now(), fileName, plan, weight });
      return id;
    },
    /** The preview, only for the session that made it and only while it is fresh. */
    get(id: string, owner: { sessionId: string; userId: number }): StoredPreview | undefined {
      const p = previews.get(id);
      if (!p || p.sessionId !== owner.sessionId || p.userId !== owner.userId) return undefined;
      if (now() - p.createdAt > PREVIEW_TTL_MS) {
        previews.delete(id);
        return undefined;
      }
      return p;
    },
    delete(id: string): void {
      previews.delete(id);
    },
  };
}
export type PreviewStore = ReturnType<typeof createPreviewStore>;
