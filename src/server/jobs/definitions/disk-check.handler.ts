export { runDiskCheck } from '@/server/domains/disk-hygiene/disk-usage.service';
