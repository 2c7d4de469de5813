export { GET, POST } from '@/server/auth/nextauth-handlers';
