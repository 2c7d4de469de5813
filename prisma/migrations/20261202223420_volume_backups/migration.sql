-- CreateTable
CREATE TABLE "volume_backups" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "volume_name" TEXT NOT NULL,
    "destination_id" TEXT NOT NULL,
    "status" "BackupStatus" NOT NULL DEFAULT 'pending',
    "key" TEXT,
    "size_bytes" BIGINT,
    "sha256" TEXT,
    "encrypted" BOOLEAN NOT NULL DEFAULT false,
    "files" INTEGER,
    "error" TEXT,
    "drilled_at" TIMESTAMP(3),
    "drill_ok" BOOLEAN,
    "drill_report" JSONB,
    "restored_at" TIMESTAMP(3),
    "requested_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "volume_backups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "volume_backups_project_id_volume_name_created_at_idx" ON "volume_backups"("project_id", "volume_name", "created_at");

-- AddForeignKey
ALTER TABLE "volume_backups" ADD CONSTRAINT "volume_backups_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "volume_backups" ADD CONSTRAINT "volume_backups_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "backup_destinations"("id") ON DELETE NO ACTION ON UPDATE CASCADE;
