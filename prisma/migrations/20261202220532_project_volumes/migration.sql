-- CreateTable
CREATE TABLE "project_volumes" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "mount_path" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_volumes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "project_volumes_project_id_name_key" ON "project_volumes"("project_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "project_volumes_project_id_mount_path_key" ON "project_volumes"("project_id", "mount_path");

-- AddForeignKey
ALTER TABLE "project_volumes" ADD CONSTRAINT "project_volumes_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_volumes" ADD CONSTRAINT "project_volumes_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
