// A byte-bounded LRU of rendered pages. A Map iterates in insertion order, so re-inserting on
// every hit keeps the least recently used entry first, where eviction takes it.

export interface CachedPage {
  version: string;
  body: Buffer;
  etag: string;
  headers: Record<string, string>;
  /** Compressed variants, made on the first request that accepts them. */
  gzip?: Buffer;
  br?: Buffer;
}

/** Room for the key, headers and bookkeeping, so many tiny pages cannot exceed the budget. */
const OVERHEAD = 1024;

function weight(key: string, page: CachedPage): number {
  return key.length * 2 + page.body.length + (page.gzip?.length ?? 0) + (page.br?.length ?? 0) + OVERHEAD;
}

export class PageStore {
  private readonly pages = new Map<string, CachedPage>();
  private used = 0;
  constructor(private readonly maxBytes: number) {}

  get size() {
    return this.pages.size;
  }
  get bytes() {
    return this.used;
  }

  get(key: string): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  set(key: string, page: CachedPage): void {
    this.delete(key);
    const w = weight(key, page);
    if (w > this.maxBytes / 4) return; // one huge page must not flush everything else
    this.pages.set(key, page);
    this.used += w;
    this.evict();
  }

  /** Compressed variants grow an entry after it was stored; account for them. */
  grew(key: string, bytes: number): void {
    if (!this.pages.has(key)) return;
    this.used += bytes;
    this.evict();
  }

  delete(key: string): void {
    const old = this.pages.get(key);
    if (!old) return;
    this.pages.delete(key);
    this.used -= weight(key, old);
  }

  clear(): void {
    this.pages.clear();
    this.used = 0;
  }

  private evict(): void {
    for (const [key] of this.pages) {
      if (this.used <= this.maxBytes) break;
      this.delete(key);
    }
  }
}
