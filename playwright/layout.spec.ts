import type { Locator, Page } from '@playwright/test';
import { apiAs, ensureDatabase, ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { expect, test } from './fixtures/test';

// Every main page works on a 375 px wide phone (no sideways scrolling of the page, every nav link and
// every row action on screen, the active project tab in view), dark mode is a class on <html> kept in
// a cookie, and the projects page is usable with the keyboard alone.

const pages = [
  { name: 'projects', path: '/', heading: 'Projects' },
  { name: 'project-deployments', path: '/projects/hello', heading: 'hello' },
  { name: 'project-env', path: '/projects/hello/env', heading: 'hello' },
  { name: 'project-domains', path: '/projects/hello/domains', heading: 'hello' },
  { name: 'project-databases', path: '/projects/hello/databases', heading: 'hello' },
  { name: 'project-database', path: '/projects/hello/databases/main', heading: 'hello' },
  { name: 'project-service-accounts', path: '/projects/hello/service-accounts', heading: 'hello' },
  { name: 'project-settings', path: '/projects/hello/settings', heading: 'hello' },
  { name: 'project-metrics', path: '/projects/hello/metrics', heading: 'hello' },
  { name: 'project-volumes', path: '/projects/hello/volumes', heading: 'hello' },
  { name: 'project-cron', path: '/projects/hello/cron', heading: 'hello' },
  { name: 'project-terminal', path: '/projects/hello/terminal', heading: 'hello' },
  { name: 'overview', path: '/overview', heading: 'Overview' },
  { name: 'teams', path: '/teams', heading: 'Teams' },
  { name: 'team', path: '/teams/devops', heading: 'devops' },
  { name: 'tokens', path: '/tokens', heading: 'API tokens' },
  { name: 'audit', path: '/audit', heading: 'Audit log' },
  { name: 'admin', path: '/admin', heading: 'Platform admin' },
  { name: 'cli-login', path: '/cli/login', heading: 'Authorize the Rise CLI' },
];

/**
 * Rows with actions in every table the phone pass visits: deployments to roll back to, a plain and a
 * secret variable, a domain, a service account (with its CI snippets), a running database with a
 * succeeded backup and a schedule, a cron job, grace as a member, an active token and a platform backup. A no-op
 * for what the journey already made.
 */
async function ensureRowsWithActions() {
  const api = apiAs('ada');
  const project = 'hello';
  const vars = await api.env.list.query({ project });
  if (!vars.some((v) => v.secret) || !vars.some((v) => !v.secret))
    await api.env.set.mutate({
      project,
      vars: [
        { key: 'PHONE_GREETING', value: 'hello from a phone', secret: false },
        { key: 'PHONE_SECRET', value: 'phone-secret-value', secret: true },
      ],
    });
  if ((await api.domain.list.query({ project })).length === 0)
    await api.domain.add.mutate({ project, hostname: 'www.hello-phone.example.com' });
  if ((await api.serviceAccount.list.query({ project })).length === 0)
    await api.serviceAccount.create.mutate({
      project,
      name: 'phone-ci',
      issuer: 'https://token.actions.githubusercontent.com',
      claims: { aud: 'https://rise.example.com', repository: 'devops/hello', ref: 'refs/heads/main' },
    });
  if ((await api.cron.list.query({ project })).length === 0)
    await api.cron.set.mutate({
      project,
      jobs: [{ name: 'phone-report', schedule: '0 3 * * *', command: 'echo a report from a phone' }],
    });
  if (!(await api.token.list.query()).some((token) => token.status === 'active'))
    await api.token.create.mutate({ name: 'phone-token', expiresInDays: 30 });

  const database = { project, database: 'main' };
  await expect
    .poll(async () => (await api.database.list.query({ project })).find((d) => d.name === 'main')?.status, {
      timeout: 150_000,
      message: 'database main of hello is running',
    })
    .toBe('running');
  if (!(await api.backup.list.query(database)).some((backup) => backup.status === 'succeeded')) {
    const { id } = await api.backup.run.mutate(database);
    await expect
      .poll(async () => (await api.backup.get.query({ ...database, backup: id })).status, {
        timeout: 120_000,
        message: `backup ${id} of hello/main finishes`,
      })
      .toBe('succeeded');
  }
  if ((await api.backup.schedules.query(database)).length === 0)
    await api.backup.addSchedule.mutate({ ...database, cron: '0 3 * * *' });
  if (!(await api.platformBackup.list.query()).some((backup) => backup.status === 'succeeded')) {
    const { id } = await api.platformBackup.run.mutate({});
    await expect
      .poll(async () => (await api.platformBackup.list.query()).find((backup) => backup.id === id)?.status, {
        timeout: 120_000,
        message: `platform backup ${id} finishes`,
      })
      .toBe('succeeded');
  }
}

test.beforeAll(async () => {
  // Two deployments and a database with a backup: a few minutes at most, more than a test's timeout.
  test.setTimeout(600_000);
  await ensureJourneyData({ deployed: true });
  await ensureDatabase('hello', 'main');
  await ensureRowsWithActions();
});

/** Where an element is horizontally, against the layout viewport (clientWidth, 375 px). */
const horizontalBox = (locator: Locator) =>
  locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    return {
      left: Math.round(rect.left),
      right: Math.round(rect.right),
      width: document.documentElement.clientWidth,
    };
  });

const inView = ({ left, right, width }: { left: number; right: number; width: number }) =>
  left >= 0 && right <= width;

/**
 * The controls of each row: buttons and selects in table bodies, the link naming a row (first cell),
 * and the buttons of the deployment and domain lists. Each must be on screen as the page opens, not
 * only after scrolling its table sideways (a phone shows no scroll bar: a clipped button looks absent).
 */
const ROW_ACTIONS = [
  'table tbody button',
  'table tbody select',
  'table tbody tr > :first-child a[href]',
  '[data-testid^="deployment-"] button',
  '[data-testid^="domain-"] button',
  '[data-testid^="cron-job-"] button',
  '[data-testid^="volume-"] button',
].join(', ');

type PlacedAction = { label: string; left: number; right: number; onTop: boolean; showsThrough: boolean };

/**
 * Each row action, scrolled vertically (only) to the middle of the screen: its horizontal extent,
 * whether a tap at its centre reaches it (not covered by a sticky column or anything else) and, for a
 * button in a row's last cell, whether other cells show between that cell and its table's right edge.
 */
const placeRowActions = (page: Page) =>
  page.evaluate((selector) => {
    const placed: PlacedAction[] = [];
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (!element.checkVisibility()) continue;
      const before = element.getBoundingClientRect();
      window.scrollTo(0, window.scrollY + before.top - document.documentElement.clientHeight / 2);
      const rect = element.getBoundingClientRect();
      // A link that wraps has two boxes and nothing of it at the centre of both: tap its first line.
      const line = element.getClientRects()[0] ?? rect;
      const hit = document.elementFromPoint(line.left + line.width / 2, line.top + line.height / 2);
      const cell = element.closest('td, th');
      const box = cell?.closest('table')?.parentElement;
      let showsThrough = false;
      if (cell && box && cell === cell.parentElement?.lastElementChild) {
        const edge = Math.min(box.getBoundingClientRect().right, document.documentElement.clientWidth) - 2;
        const beside = document.elementFromPoint(edge, rect.top + rect.height / 2)?.closest('td, th');
        showsThrough = beside !== null && beside !== undefined && beside !== cell;
      }
      placed.push({
        label: (element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 60),
        left: Math.round(rect.left),
        right: Math.round(rect.right),
        onTop: hit !== null && (hit === element || element.contains(hit)),
        showsThrough,
      });
    }
    window.scrollTo(0, 0);
    return placed;
  }, ROW_ACTIONS);

/** The main nav's links, opening its menu first when the page collapses it into one. */
async function mainNavLinks(page: Page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const toggle = page.locator('header button[aria-expanded]');
  if ((await toggle.count()) > 0 && (await toggle.isVisible())) {
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  }
  return nav.getByRole('link');
}

const NAV_LINKS = ['Projects', 'Overview', 'Teams', 'API tokens', 'Audit log', 'Admin'];

/** Row actions each page shows at least, so that a page that lost its table cannot pass. */
const minimumActions: Record<string, number> = {
  projects: 1,
  'project-deployments': 2,
  'project-env': 3,
  'project-domains': 1,
  'project-databases': 1,
  'project-database': 2,
  'project-cron': 1,
  teams: 1,
  team: 3,
  tokens: 1,
  admin: 1,
};

/**
 * Lists load on the client after the page: waits until no placeholder says it is still loading and
 * the page shows at least the row actions it is known to have.
 */
async function listsLoaded(page: Page, name: string) {
  await page.waitForLoadState('load');
  await expect(page.getByText(/^(Loading|checking)( events)?…$/)).toHaveCount(0);
  await expect
    .poll(() => page.locator(ROW_ACTIONS).count(), { message: `row actions of ${name} rendered` })
    .toBeGreaterThanOrEqual(minimumActions[name] ?? 0);
}

test.describe('at 375 × 812', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  for (const { name, path, heading } of pages) {
    test(`${path} has no horizontal overflow`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status(), `GET ${path}`).toBeLessThan(400);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await listsLoaded(page, name);
      // With mobile emulation Chromium widens window.innerWidth to fit overflowing content (it zooms
      // out), which would hide the overflow; the layout viewport (clientWidth) stays at 375 px.
      const { scrollWidth, viewportWidth, culprits } = await page.evaluate(() => {
        const width = Math.min(window.innerWidth, document.documentElement.clientWidth);
        // The outermost elements sticking out to the right, described for the failure message.
        const clipped = (element: Element) => {
          for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return true;
          }
          return false;
        };
        const sticking = [...document.body.querySelectorAll('*')].filter(
          (element) => element.getBoundingClientRect().right > width + 1 && !clipped(element),
        );
        const outermost = sticking.filter((element) => !sticking.includes(element.parentElement as Element));
        const describe = (element: Element) =>
          `<${element.tagName.toLowerCase()} class="${element.getAttribute('class') ?? ''}"> right=${Math.round(
            element.getBoundingClientRect().right,
          )} "${(element.textContent ?? '').trim().slice(0, 60)}"`;
        return {
          scrollWidth: document.documentElement.scrollWidth,
          viewportWidth: width,
          culprits: outermost.slice(0, 5).map(describe),
        };
      });
      expect(viewportWidth).toBe(375);
      expect(
        scrollWidth,
        `document width of ${path} at ${viewportWidth} px; sticking out:\n${culprits.join('\n')}`,
      ).toBeLessThanOrEqual(viewportWidth + 1);
      await screenshot(page, `mobile-${name}`);
    });
  }

  // The CLI login page stands alone, without the dashboard's header.
  for (const { name, path, heading } of pages.filter((p) => p.name !== 'cli-login')) {
    test(`${path}: every nav link and every row action is on screen`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await listsLoaded(page, name);

      const links = await mainNavLinks(page);
      await expect(links).toHaveText(NAV_LINKS);
      for (const label of NAV_LINKS) {
        const box = await horizontalBox(links.filter({ hasText: label }));
        expect.soft(inView(box), `nav link ${label} at ${box.left}..${box.right} of ${box.width}`).toBe(true);
      }

      const actions = await placeRowActions(page);
      expect(actions.length, `row actions on ${path}`).toBeGreaterThanOrEqual(minimumActions[name] ?? 0);
      const width = await page.evaluate(() => document.documentElement.clientWidth);
      const clipped = actions.filter(
        (action) => !inView({ ...action, width }) || !action.onTop || action.showsThrough,
      );
      expect
        .soft(
          clipped.map(
            (a) =>
              `${a.label} at ${a.left}..${a.right}${a.onTop ? '' : ', covered'}${
                a.showsThrough ? ', other cells show beside it' : ''
              }`,
          ),
          `row actions of ${path} off screen or covered at ${width} px`,
        )
        .toEqual([]);
    });
  }

  test('each nav link, Admin included, is tappable and opens its page', async ({ page }) => {
    const headings: Record<string, string> = {
      Projects: 'Projects',
      Overview: 'Overview',
      Teams: 'Teams',
      'API tokens': 'API tokens',
      'Audit log': 'Audit log',
      Admin: 'Platform admin',
    };
    for (const label of NAV_LINKS) {
      await page.goto('/');
      const link = (await mainNavLinks(page)).filter({ hasText: label });
      expect(inView(await horizontalBox(link)), `nav link ${label} on screen`).toBe(true);
      // A plain tap: no scrolling the nav first, as a user who does not know it scrolls would do.
      const box = await link.boundingBox();
      if (!box) throw new Error(`nav link ${label} has no box`);
      await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
      await expect(page.getByRole('heading', { level: 1, name: headings[label] })).toBeVisible();
    }
  });

  test('the active project tab is in view on load and after each change', async ({ page }) => {
    const tabs = page.getByRole('navigation', { name: 'Project' });
    const active = tabs.locator('a[aria-current="page"]');
    const activeInView = async () => inView(await horizontalBox(active));

    // Settings is the last tab: off screen unless the tab bar scrolls to it.
    await page.goto('/projects/hello/settings');
    await expect(active).toHaveText('Settings');
    await expect.soft.poll(activeInView, { message: 'Settings tab in view on load' }).toBe(true);
    await screenshot(page, 'mobile-project-tabs-settings');

    // Client-side changes keep the tab bar mounted with its scroll position: back to the first tab
    // (its bar scrolled to the end) and forward to the last one (its bar scrolled to the start).
    await page.goto('/projects/hello');
    await expect(active).toHaveText('Deployments');
    await tabs.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/projects/hello/settings');
    await expect(active).toHaveText('Settings');
    await page.goBack();
    await expect(active).toHaveText('Deployments');
    await expect.soft.poll(activeInView, { message: 'Deployments tab in view after going back' }).toBe(true);
    await tabs.evaluate((nav) => {
      nav.scrollLeft = 0;
    });
    await page.goForward();
    await expect(active).toHaveText('Settings');
    await expect.soft.poll(activeInView, { message: 'Settings tab in view after going forward' }).toBe(true);
  });
});

/**
 * Luminance (0 black … 1 white) of the body's computed background. Tailwind 4 colours are oklch(),
 * so the browser paints the colour on a canvas and the test reads the pixel back as sRGB.
 */
const bodyLuminance = (page: Page) =>
  page.evaluate(() => {
    const context = document.createElement('canvas').getContext('2d')!;
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });

test('dark mode: the theme toggle sets class dark and a dark background, kept across reloads', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const html = page.locator('html');
  expect(await bodyLuminance(page)).toBeGreaterThan(0.8);
  const toggle = page.getByRole('button', { name: /change theme/i });
  for (
    let clicks = 0;
    clicks < 3 && !(await html.getAttribute('class'))?.split(' ').includes('dark');
    clicks++
  ) {
    await toggle.click();
  }
  await expect(html).toHaveClass(/(^|\s)dark(\s|$)/);
  await expect.poll(() => bodyLuminance(page)).toBeLessThan(0.2);
  await page.reload();
  await expect(html).toHaveClass(/(^|\s)dark(\s|$)/);
  expect(await bodyLuminance(page)).toBeLessThan(0.2);
  await screenshot(page, 'projects-dark');
});

test('keyboard: Tab reaches New project, Enter opens its dialog, Escape closes it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  const newProject = page.getByRole('button', { name: 'New project' });
  await expect(newProject).toBeVisible();
  let reached = false;
  for (let presses = 0; presses < 40 && !reached; presses++) {
    await page.keyboard.press('Tab');
    reached = await newProject.evaluate((element) => element === document.activeElement);
  }
  expect(reached, 'Tab reaches the New project button').toBe(true);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await expect(dialog).toBeVisible();
  // Focus moved into the dialog, so typing goes to its first field.
  expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(newProject).toBeFocused();
});
