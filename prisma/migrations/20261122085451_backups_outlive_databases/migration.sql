-- DropForeignKey
ALTER TABLE "backup_schedules" DROP CONSTRAINT "backup_schedules_destination_id_fkey";

-- DropForeignKey
ALTER TABLE "backups" DROP CONSTRAINT "backups_database_id_fkey";

-- DropForeignKey
ALTER TABLE "backups" DROP CONSTRAINT "backups_destination_id_fkey";

-- AlterTable
ALTER TABLE "backups" ADD COLUMN     "database_name" TEXT,
ADD COLUMN     "project_id" TEXT;

-- Backfill: the project and name of every existing backup's database.
UPDATE "backups" b SET "project_id" = d."project_id", "database_name" = d."name"
FROM "managed_databases" d WHERE b."database_id" = d."id";

-- CreateIndex
CREATE INDEX "backups_project_id_created_at_idx" ON "backups"("project_id", "created_at");

-- AddForeignKey
ALTER TABLE "backup_schedules" ADD CONSTRAINT "backup_schedules_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "backup_destinations"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backups" ADD CONSTRAINT "backups_database_id_fkey" FOREIGN KEY ("database_id") REFERENCES "managed_databases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backups" ADD CONSTRAINT "backups_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backups" ADD CONSTRAINT "backups_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "backup_destinations"("id") ON DELETE NO ACTION ON UPDATE CASCADE;
