-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "expires_at" TIMESTAMP(3),
ADD COLUMN     "group" TEXT NOT NULL DEFAULT 'default';

-- CreateTable
CREATE TABLE "deployment_groups" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "active_deployment_id" TEXT,
    "slot_port_a" INTEGER,
    "slot_port_b" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "deployment_groups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "deployment_groups_host_key" ON "deployment_groups"("host");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_groups_active_deployment_id_key" ON "deployment_groups"("active_deployment_id");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_groups_slot_port_a_key" ON "deployment_groups"("slot_port_a");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_groups_slot_port_b_key" ON "deployment_groups"("slot_port_b");

-- CreateIndex
CREATE UNIQUE INDEX "deployment_groups_project_id_name_key" ON "deployment_groups"("project_id", "name");

-- CreateIndex
CREATE INDEX "deployments_project_id_group_created_at_id_idx" ON "deployments"("project_id", "group", "created_at", "id");

-- CreateIndex
CREATE INDEX "deployments_expires_at_idx" ON "deployments"("expires_at");

-- AddForeignKey
ALTER TABLE "deployment_groups" ADD CONSTRAINT "deployment_groups_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment_groups" ADD CONSTRAINT "deployment_groups_active_deployment_id_fkey" FOREIGN KEY ("active_deployment_id") REFERENCES "deployments"("id") ON DELETE SET NULL ON UPDATE CASCADE;
