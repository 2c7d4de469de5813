-- CreateTable
CREATE TABLE "registry_logins" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "registry_logins_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "registry_logins_host_idx" ON "registry_logins"("host");

-- CreateIndex
CREATE UNIQUE INDEX "registry_logins_project_id_host_key" ON "registry_logins"("project_id", "host");

-- AddForeignKey
ALTER TABLE "registry_logins" ADD CONSTRAINT "registry_logins_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
