/** The largest page a list procedure serves. */
export const API_PAGE_MAX = 200;

/**
 * The first `limit` items of a paged list (every item when no limit), following the cursor the
 * last item of each full page gives; a short page is the last one.
 */
export async function collectPages<T>(
  fetchPage: (page: { limit: number; cursor?: string }) => Promise<T[]>,
  cursorOf: (item: T) => string,
  limit = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  while (items.length < limit) {
    const want = Math.min(API_PAGE_MAX, limit - items.length);
    const page = await fetchPage({ limit: want, cursor });
    items.push(...page.slice(0, want));
    const last = page.at(-1);
    if (page.length < want || !last) break;
    cursor = cursorOf(last);
  }
  return items;
}
