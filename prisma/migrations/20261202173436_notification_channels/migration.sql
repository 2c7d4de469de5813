-- AlterTable
ALTER TABLE "notification_events" ADD COLUMN     "dedupe_key" TEXT;

-- CreateTable
CREATE TABLE "notification_channels" (
    "id" TEXT NOT NULL,
    "team_id" TEXT,
    "project_id" TEXT,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "secrets" TEXT NOT NULL,
    "kinds" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "event_id" TEXT,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "response_code" INTEGER,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_channels_team_id_idx" ON "notification_channels"("team_id");

-- CreateIndex
CREATE INDEX "notification_channels_project_id_idx" ON "notification_channels"("project_id");

-- CreateIndex
CREATE INDEX "notification_deliveries_channel_id_created_at_idx" ON "notification_deliveries"("channel_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_deliveries_event_id_idx" ON "notification_deliveries"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "notification_events_dedupe_key_key" ON "notification_events"("dedupe_key");

-- AddForeignKey
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "notification_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Deployment notifications: a deployment that starts (building or deploying), becomes healthy, fails, is
-- cancelled or expires announces `<deployment id>:<status>` on `rise_deployment_event` (delivered at commit).
-- The worker serving `notify` LISTENs and raises the notification (deduplicated per deployment and kind).
CREATE FUNCTION "rise_notify_deployment_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('building', 'deploying', 'healthy', 'failed', 'cancelled', 'expired')
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status) THEN
    PERFORM pg_notify('rise_deployment_event', NEW.id || ':' || NEW.status);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "deployments_notify_event"
  AFTER INSERT OR UPDATE OF "status" ON "deployments"
  FOR EACH ROW EXECUTE FUNCTION "rise_notify_deployment_event"();

-- A channel belongs to exactly one team or one project.
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_one_owner"
  CHECK (("team_id" IS NULL) <> ("project_id" IS NULL));
