-- AlterTable
ALTER TABLE "project_volumes" ADD COLUMN     "backup_cron" TEXT,
ADD COLUMN     "backup_destination" TEXT,
ADD COLUMN     "backup_encrypt" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "backup_keep" INTEGER;

-- AlterTable
ALTER TABLE "volume_backups" ADD COLUMN     "trigger" TEXT NOT NULL DEFAULT 'manual';
