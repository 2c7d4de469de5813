-- CreateTable
CREATE TABLE "disk_alert_states" (
    "id" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "disk_alert_states_pkey" PRIMARY KEY ("id")
);
