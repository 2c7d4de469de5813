-- DropIndex
DROP INDEX "uptime_checks_project_id_resolution_at_key";

-- AlterTable
ALTER TABLE "uptime_checks" ADD COLUMN     "group" TEXT NOT NULL DEFAULT 'default';

-- CreateIndex
CREATE UNIQUE INDEX "uptime_checks_project_id_group_resolution_at_key" ON "uptime_checks"("project_id", "group", "resolution", "at");
