-- Open dashboards also hear of preview groups: a group created, removed (stopped, expired) or switched,
-- and a deployment's expiry set or extended, announce the project on `rise_project_changes`.
CREATE OR REPLACE FUNCTION "rise_notify_project_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'deployments' THEN
    PERFORM pg_notify('rise_project_changes', NEW.project_id);
  ELSIF TG_TABLE_NAME = 'deployment_groups' THEN
    IF TG_OP = 'DELETE' THEN
      PERFORM pg_notify('rise_project_changes', OLD.project_id);
    ELSE
      PERFORM pg_notify('rise_project_changes', NEW.project_id);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('rise_project_changes', OLD.id);
  ELSE
    PERFORM pg_notify('rise_project_changes', NEW.id);
  END IF;
  RETURN NULL;
END;
$$;

DROP TRIGGER "deployments_notify_project_change" ON "deployments";
CREATE TRIGGER "deployments_notify_project_change"
  AFTER INSERT OR UPDATE OF "status", "expires_at" ON "deployments"
  FOR EACH ROW EXECUTE FUNCTION "rise_notify_project_change"();

CREATE TRIGGER "deployment_groups_notify_project_change"
  AFTER INSERT OR DELETE OR UPDATE OF "active_deployment_id" ON "deployment_groups"
  FOR EACH ROW EXECUTE FUNCTION "rise_notify_project_change"();
