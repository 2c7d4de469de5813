import type { Page } from '@playwright/test';
import { ensureDatabase, ensureJourneyData } from './fixtures/rise-api';
import { screenshot } from './fixtures/screenshot';
import { expect, test } from './fixtures/test';

// Every main page works on a 375 px wide phone, dark mode is a class on <html> kept in a cookie, and
// the projects page is usable with the keyboard alone.

const pages = [
  { name: 'projects', path: '/', heading: 'Projects' },
  { name: 'project-deployments', path: '/projects/hello', heading: 'hello' },
  { name: 'project-env', path: '/projects/hello/env', heading: 'hello' },
  { name: 'project-domains', path: '/projects/hello/domains', heading: 'hello' },
  { name: 'project-databases', path: '/projects/hello/databases', heading: 'hello' },
  { name: 'project-database', path: '/projects/hello/databases/main', heading: 'hello' },
  { name: 'project-settings', path: '/projects/hello/settings', heading: 'hello' },
  { name: 'teams', path: '/teams', heading: 'Teams' },
  { name: 'team', path: '/teams/devops', heading: 'devops' },
  { name: 'tokens', path: '/tokens', heading: 'API tokens' },
  { name: 'audit', path: '/audit', heading: 'Audit log' },
  { name: 'admin', path: '/admin', heading: 'Platform admin' },
  { name: 'cli-login', path: '/cli/login', heading: 'Authorize the Rise CLI' },
];

test.beforeAll(async () => {
  await ensureJourneyData({ deployed: false });
  await ensureDatabase('hello', 'main');
});

test.describe('at 375 × 812', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  for (const { name, path, heading } of pages) {
    test(`${path} has no horizontal overflow`, async ({ page }) => {
      const response = await page.goto(path);
      expect(response?.status(), `GET ${path}`).toBeLessThan(400);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      // Lists load on the client: give them a moment to render before measuring.
      await page.waitForLoadState('load');
      await page.waitForTimeout(500);
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
