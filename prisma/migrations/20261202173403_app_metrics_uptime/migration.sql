-- CreateTable
CREATE TABLE "app_metric_samples" (
    "id" BIGSERIAL NOT NULL,
    "project_id" TEXT NOT NULL,
    "resolution" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "instances" INTEGER NOT NULL,
    "cpu_percent" DOUBLE PRECISION NOT NULL,
    "cpu_percent_max" DOUBLE PRECISION NOT NULL,
    "memory_bytes" DOUBLE PRECISION NOT NULL,
    "memory_bytes_max" DOUBLE PRECISION NOT NULL,
    "memory_limit_bytes" DOUBLE PRECISION,
    "network_rx_bytes" DOUBLE PRECISION NOT NULL,
    "network_tx_bytes" DOUBLE PRECISION NOT NULL,
    "restarts" INTEGER NOT NULL,

    CONSTRAINT "app_metric_samples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "uptime_checks" (
    "id" BIGSERIAL NOT NULL,
    "project_id" TEXT NOT NULL,
    "resolution" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "checks" INTEGER NOT NULL,
    "up_checks" INTEGER NOT NULL,
    "response_ms" DOUBLE PRECISION,
    "response_ms_max" DOUBLE PRECISION,
    "status_code" INTEGER,
    "error" TEXT,

    CONSTRAINT "uptime_checks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "app_metric_samples_resolution_at_idx" ON "app_metric_samples"("resolution", "at");

-- CreateIndex
CREATE UNIQUE INDEX "app_metric_samples_project_id_resolution_at_key" ON "app_metric_samples"("project_id", "resolution", "at");

-- CreateIndex
CREATE INDEX "uptime_checks_resolution_at_idx" ON "uptime_checks"("resolution", "at");

-- CreateIndex
CREATE UNIQUE INDEX "uptime_checks_project_id_resolution_at_key" ON "uptime_checks"("project_id", "resolution", "at");

-- AddForeignKey
ALTER TABLE "app_metric_samples" ADD CONSTRAINT "app_metric_samples_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "uptime_checks" ADD CONSTRAINT "uptime_checks_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
