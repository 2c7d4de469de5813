'use client';

import { useState } from 'react';
import { THEME_COOKIE, THEMES, type Theme, themeClass } from './theme';

const labels: Record<Theme, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };
const icons: Record<Theme, string> = { system: '◐', light: '☀', dark: '☾' };

/** Cycles system → light → dark; the choice lives in a cookie so the server renders it without a flash. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState(initial);
  function next() {
    const chosen = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length] as Theme;
    setTheme(chosen);
    document.cookie = `${THEME_COOKIE}=${chosen}; path=/; max-age=31536000; samesite=lax`;
    const root = document.documentElement;
    root.classList.remove('dark', 'light');
    if (themeClass(chosen)) root.classList.add(themeClass(chosen));
  }
  return (
    <button
      type="button"
      onClick={next}
      aria-label={`${labels[theme]} (change theme)`}
      title={labels[theme]}
      className="rounded-md px-2 py-1 text-lg leading-none hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:hover:bg-zinc-800"
    >
      <span aria-hidden>{icons[theme]}</span>
    </button>
  );
}
