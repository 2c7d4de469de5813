-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "health_checked_at" TIMESTAMP(3),
ADD COLUMN     "health_failing_since" TIMESTAMP(3),
ADD COLUMN     "health_failures" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "certificate_checks" (
    "hostname" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "checked_at" TIMESTAMP(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "reason" TEXT,
    "expires_at" TIMESTAMP(3),
    "failing_since" TIMESTAMP(3),

    CONSTRAINT "certificate_checks_pkey" PRIMARY KEY ("hostname")
);

-- CreateIndex
CREATE INDEX "certificate_checks_project_id_idx" ON "certificate_checks"("project_id");

-- AddForeignKey
ALTER TABLE "certificate_checks" ADD CONSTRAINT "certificate_checks_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
