-- CreateEnum
CREATE TYPE "GitProvider" AS ENUM ('github', 'gitlab', 'gitea', 'bitbucket');

-- CreateEnum
CREATE TYPE "DeploymentTrigger" AS ENUM ('cli', 'git_push', 'pull_request', 'manual', 'rollback');

-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "commit_author" TEXT,
ADD COLUMN     "commit_message" TEXT,
ADD COLUMN     "commit_sha" TEXT,
ADD COLUMN     "git_ref" TEXT,
ADD COLUMN     "trigger" "DeploymentTrigger" NOT NULL DEFAULT 'cli';

-- CreateTable
CREATE TABLE "git_sources" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "repository_url" TEXT NOT NULL,
    "branch" TEXT NOT NULL DEFAULT 'main',
    "root_directory" TEXT NOT NULL DEFAULT '.',
    "dockerfile" TEXT,
    "watch_paths" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "submodules" BOOLEAN NOT NULL DEFAULT false,
    "provider" "GitProvider",
    "hook_id" TEXT NOT NULL,
    "webhook_secret" TEXT NOT NULL,
    "deploy_key_public" TEXT,
    "deploy_key_private" TEXT,
    "access_token" TEXT,
    "preview_expiry" TEXT NOT NULL DEFAULT '7d',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "git_sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "provider" "GitProvider" NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    "deployment_id" TEXT,
    "payload" JSONB,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "git_sources_project_id_key" ON "git_sources"("project_id");

-- CreateIndex
CREATE UNIQUE INDEX "git_sources_hook_id_key" ON "git_sources"("hook_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_source_id_received_at_idx" ON "webhook_deliveries"("source_id", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_source_id_delivery_id_key" ON "webhook_deliveries"("source_id", "delivery_id");

-- AddForeignKey
ALTER TABLE "git_sources" ADD CONSTRAINT "git_sources_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "git_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
