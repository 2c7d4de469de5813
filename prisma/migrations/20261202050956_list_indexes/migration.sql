-- DropIndex
DROP INDEX "backups_database_id_created_at_idx";

-- DropIndex
DROP INDEX "backups_project_id_created_at_idx";

-- DropIndex
DROP INDEX "deployments_project_id_created_at_idx";

-- DropIndex
DROP INDEX "projects_owner_team_id_idx";

-- DropIndex
DROP INDEX "projects_owner_user_id_idx";

-- CreateIndex
CREATE INDEX "backups_database_id_created_at_id_idx" ON "backups"("database_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "backups_project_id_created_at_id_idx" ON "backups"("project_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "deployments_project_id_created_at_id_idx" ON "deployments"("project_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "deployments_rolled_back_from_id_idx" ON "deployments"("rolled_back_from_id");

-- CreateIndex
CREATE INDEX "deployments_created_by_id_idx" ON "deployments"("created_by_id");

-- CreateIndex
CREATE INDEX "projects_owner_user_id_name_idx" ON "projects"("owner_user_id", "name");

-- CreateIndex
CREATE INDEX "projects_owner_team_id_name_idx" ON "projects"("owner_team_id", "name");

-- Status changes pushed to open dashboards: every write that can change what a project list or a
-- project page shows announces the project's id on channel `rise_project_changes` (delivered at
-- commit). The web server LISTENs once and forwards to the subscriptions of callers who may see it.
CREATE FUNCTION "rise_notify_project_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'deployments' THEN
    PERFORM pg_notify('rise_project_changes', NEW.project_id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('rise_project_changes', OLD.id);
  ELSE
    PERFORM pg_notify('rise_project_changes', NEW.id);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "deployments_notify_project_change"
  AFTER INSERT OR UPDATE OF "status" ON "deployments"
  FOR EACH ROW EXECUTE FUNCTION "rise_notify_project_change"();

CREATE TRIGGER "projects_notify_project_change"
  AFTER INSERT OR DELETE OR UPDATE OF "desired_state", "active_deployment_id", "visibility", "owner_user_id", "owner_team_id" ON "projects"
  FOR EACH ROW EXECUTE FUNCTION "rise_notify_project_change"();
