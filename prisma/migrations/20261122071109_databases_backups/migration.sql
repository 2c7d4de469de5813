-- CreateEnum
CREATE TYPE "DatabaseEngine" AS ENUM ('postgres', 'mariadb', 'redis');

-- CreateEnum
CREATE TYPE "DatabaseStatus" AS ENUM ('provisioning', 'running', 'stopped', 'restoring', 'failed');

-- CreateEnum
CREATE TYPE "BackupDestinationKind" AS ENUM ('local', 's3');

-- CreateEnum
CREATE TYPE "BackupStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "RestoreMode" AS ENUM ('in_place', 'new_database', 'drill');

-- CreateEnum
CREATE TYPE "RestoreStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "managed_databases" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "engine" "DatabaseEngine" NOT NULL,
    "image" TEXT NOT NULL,
    "status" "DatabaseStatus" NOT NULL DEFAULT 'provisioning',
    "error" TEXT,
    "username" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "database_name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "container_id" TEXT,
    "volume_name" TEXT NOT NULL,
    "cpu_limit" DOUBLE PRECISION,
    "memory_limit_mb" INTEGER,
    "env_prefix" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "managed_databases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backup_destinations" (
    "id" TEXT NOT NULL,
    "project_id" TEXT,
    "name" TEXT NOT NULL,
    "kind" "BackupDestinationKind" NOT NULL,
    "config" JSONB NOT NULL,
    "secret" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "backup_destinations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backup_schedules" (
    "id" TEXT NOT NULL,
    "database_id" TEXT,
    "destination_id" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "keep_last" INTEGER,
    "max_age_days" INTEGER,
    "encrypt" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "backup_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backups" (
    "id" TEXT NOT NULL,
    "database_id" TEXT,
    "schedule_id" TEXT,
    "destination_id" TEXT NOT NULL,
    "engine" TEXT NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "status" "BackupStatus" NOT NULL DEFAULT 'pending',
    "key" TEXT,
    "size_bytes" BIGINT,
    "sha256" TEXT,
    "encrypted" BOOLEAN NOT NULL DEFAULT false,
    "table_counts" JSONB,
    "error" TEXT,
    "requested_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "duration_ms" INTEGER,

    CONSTRAINT "backups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "restores" (
    "id" TEXT NOT NULL,
    "backup_id" TEXT NOT NULL,
    "mode" "RestoreMode" NOT NULL,
    "status" "RestoreStatus" NOT NULL DEFAULT 'pending',
    "target_database_id" TEXT,
    "report" JSONB,
    "error" TEXT,
    "requested_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "restores_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "restore_events" (
    "id" BIGSERIAL NOT NULL,
    "restore_id" TEXT NOT NULL,
    "level" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "restore_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_events" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "project_id" TEXT,
    "title" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMP(3),

    CONSTRAINT "notification_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "managed_databases_host_key" ON "managed_databases"("host");

-- CreateIndex
CREATE UNIQUE INDEX "managed_databases_project_id_name_key" ON "managed_databases"("project_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "backup_destinations_project_id_name_key" ON "backup_destinations"("project_id", "name");

-- CreateIndex
CREATE INDEX "backup_schedules_database_id_idx" ON "backup_schedules"("database_id");

-- CreateIndex
CREATE INDEX "backups_database_id_created_at_idx" ON "backups"("database_id", "created_at");

-- CreateIndex
CREATE INDEX "backups_schedule_id_created_at_idx" ON "backups"("schedule_id", "created_at");

-- CreateIndex
CREATE INDEX "restores_backup_id_created_at_idx" ON "restores"("backup_id", "created_at");

-- CreateIndex
CREATE INDEX "restore_events_restore_id_id_idx" ON "restore_events"("restore_id", "id");

-- CreateIndex
CREATE INDEX "notification_events_created_at_idx" ON "notification_events"("created_at");

-- CreateIndex
CREATE INDEX "notification_events_project_id_created_at_idx" ON "notification_events"("project_id", "created_at");

-- AddForeignKey
ALTER TABLE "managed_databases" ADD CONSTRAINT "managed_databases_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backup_destinations" ADD CONSTRAINT "backup_destinations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backup_schedules" ADD CONSTRAINT "backup_schedules_database_id_fkey" FOREIGN KEY ("database_id") REFERENCES "managed_databases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backup_schedules" ADD CONSTRAINT "backup_schedules_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "backup_destinations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backups" ADD CONSTRAINT "backups_database_id_fkey" FOREIGN KEY ("database_id") REFERENCES "managed_databases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backups" ADD CONSTRAINT "backups_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "backup_schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backups" ADD CONSTRAINT "backups_destination_id_fkey" FOREIGN KEY ("destination_id") REFERENCES "backup_destinations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "restores" ADD CONSTRAINT "restores_backup_id_fkey" FOREIGN KEY ("backup_id") REFERENCES "backups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "restores" ADD CONSTRAINT "restores_target_database_id_fkey" FOREIGN KEY ("target_database_id") REFERENCES "managed_databases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "restore_events" ADD CONSTRAINT "restore_events_restore_id_fkey" FOREIGN KEY ("restore_id") REFERENCES "restores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_events" ADD CONSTRAINT "notification_events_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
