import { login } from './login';
import { logout } from './logout';
import { whoami } from './whoami';

/** The top-level commands about who you are: `rise login`, `rise logout`, `rise whoami`. */
export const authCommands = [login, logout, whoami];
