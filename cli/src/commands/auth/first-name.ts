/** How the CLI greets a user: the first word of their name, else their user name. */
export const firstName = (user: { name: string | null; username: string }) =>
  user.name?.split(' ')[0] || user.username;
