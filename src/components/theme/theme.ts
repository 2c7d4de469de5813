export const THEME_COOKIE = 'rise-theme';
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const parseTheme = (value: string | undefined): Theme =>
  THEMES.includes(value as Theme) ? (value as Theme) : 'system';

/** The class on <html>: `dark`/`light` override the system preference (see globals.css). */
export const themeClass = (theme: Theme) => (theme === 'system' ? '' : theme);
