import { describe, expect, it } from 'vitest';
import { API_PAGE_MAX, collectPages } from './pages';

/** A paged list of `total` numbered items, recording the pages asked for. */
function pagedList(total: number) {
  const items = Array.from({ length: total }, (_, index) => `item-${String(index).padStart(4, '0')}`);
  const requests: { limit: number; cursor?: string }[] = [];
  const fetchPage = async (page: { limit: number; cursor?: string }) => {
    requests.push(page);
    const start = page.cursor ? items.indexOf(page.cursor) + 1 : 0;
    return items.slice(start, start + page.limit);
  };
  return { items, requests, fetchPage };
}

describe('collectPages', () => {
  it('follows the cursor through every page when no limit is given', async () => {
    const list = pagedList(450);
    expect(await collectPages(list.fetchPage, (item) => item)).toEqual(list.items);
    expect(list.requests).toEqual([
      { limit: API_PAGE_MAX, cursor: undefined },
      { limit: API_PAGE_MAX, cursor: 'item-0199' },
      { limit: API_PAGE_MAX, cursor: 'item-0399' },
    ]);
  });

  it('asks only for what the limit still needs', async () => {
    const list = pagedList(1000);
    expect(await collectPages(list.fetchPage, (item) => item, 250)).toEqual(list.items.slice(0, 250));
    expect(list.requests.map((request) => request.limit)).toEqual([200, 50]);
  });

  it('stops after an exactly full last page with one empty request', async () => {
    const list = pagedList(400);
    expect(await collectPages(list.fetchPage, (item) => item)).toHaveLength(400);
    expect(list.requests).toHaveLength(3);
  });
});
