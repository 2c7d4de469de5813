-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "crash_loop_since" TIMESTAMP(3),
ADD COLUMN     "last_crash_at" TIMESTAMP(3),
ADD COLUMN     "last_crash_log" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "last_exit_code" INTEGER;
