import type { ButtonHTMLAttributes } from 'react';

export const buttonClass =
  'inline-flex items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 dark:focus-visible:ring-offset-zinc-900 disabled:cursor-not-allowed disabled:opacity-50';
export const primaryButton = `${buttonClass} bg-indigo-600 text-white hover:bg-indigo-500`;
export const secondaryButton = `${buttonClass} border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800`;
export const dangerButton = `${buttonClass} bg-red-600 text-white hover:bg-red-500`;
export const smallButton = 'px-2.5 py-1 text-xs';
export const inputClass =
  'w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-950';

const variants = { primary: primaryButton, secondary: secondaryButton, danger: dangerButton };

export function Button({
  variant = 'secondary',
  small = false,
  className = '',
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof variants; small?: boolean }) {
  return (
    <button
      type={type}
      className={`${variants[variant]} ${small ? smallButton : ''} ${className}`}
      {...props}
    />
  );
}
