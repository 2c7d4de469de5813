-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "web_replicas" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "processes" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "replica_ports" (
    "port" INTEGER NOT NULL,
    "project_id" TEXT NOT NULL,
    "slot" "Slot" NOT NULL,
    "replica" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "replica_ports_pkey" PRIMARY KEY ("port")
);

-- CreateIndex
CREATE UNIQUE INDEX "replica_ports_project_id_slot_replica_key" ON "replica_ports"("project_id", "slot", "replica");

-- AddForeignKey
ALTER TABLE "replica_ports" ADD CONSTRAINT "replica_ports_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
