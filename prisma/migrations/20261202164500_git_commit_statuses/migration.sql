-- AlterTable
ALTER TABLE "git_sources" ADD COLUMN     "api_url" TEXT;

-- CreateTable
CREATE TABLE "git_commit_statuses" (
    "deployment_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "reported_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "git_commit_statuses_pkey" PRIMARY KEY ("deployment_id")
);

-- CreateTable
CREATE TABLE "git_pull_request_comments" (
    "id" TEXT NOT NULL,
    "project_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "comment_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "git_pull_request_comments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "git_pull_request_comments_project_id_number_key" ON "git_pull_request_comments"("project_id", "number");

-- AddForeignKey
ALTER TABLE "git_commit_statuses" ADD CONSTRAINT "git_commit_statuses_deployment_id_fkey" FOREIGN KEY ("deployment_id") REFERENCES "deployments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "git_pull_request_comments" ADD CONSTRAINT "git_pull_request_comments_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Commit statuses: a git deployment (one with a commit) whose project's git source has an access token
-- announces `<deployment id>:<status>` on `rise_git_status` when it is created, changes status or learns
-- its commit (delivered at commit). The worker LISTENs and queues the `git-status` job that tells the forge.
CREATE FUNCTION "rise_notify_git_status"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.commit_sha IS NOT NULL AND EXISTS (
    SELECT 1 FROM "git_sources" WHERE "project_id" = NEW.project_id AND "access_token" IS NOT NULL
  ) THEN
    PERFORM pg_notify('rise_git_status', NEW.id || ':' || NEW.status);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "deployments_notify_git_status"
  AFTER INSERT OR UPDATE OF "status", "commit_sha" ON "deployments"
  FOR EACH ROW EXECUTE FUNCTION "rise_notify_git_status"();
