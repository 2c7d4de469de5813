-- CreateEnum
CREATE TYPE "Slot" AS ENUM ('a', 'b');

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "next_restart_at" TIMESTAMP(3),
ADD COLUMN     "restart_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "slot" "Slot";

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "slot_port_a" INTEGER,
ADD COLUMN     "slot_port_b" INTEGER;

-- CreateTable
CREATE TABLE "deployment_events" (
    "id" BIGSERIAL NOT NULL,
    "deployment_id" TEXT NOT NULL,
    "level" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deployment_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deployment_events_deployment_id_id_idx" ON "deployment_events"("deployment_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "projects_slot_port_a_key" ON "projects"("slot_port_a");

-- CreateIndex
CREATE UNIQUE INDEX "projects_slot_port_b_key" ON "projects"("slot_port_b");

-- AddForeignKey
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
