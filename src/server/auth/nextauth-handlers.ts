import { handlers } from './nextauth';

export const { GET, POST } = handlers;
