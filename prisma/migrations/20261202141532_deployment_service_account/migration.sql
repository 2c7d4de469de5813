-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "created_by_service_account_id" TEXT;

-- CreateIndex
CREATE INDEX "deployments_created_by_service_account_id_idx" ON "deployments"("created_by_service_account_id");

-- AddForeignKey
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_created_by_service_account_id_fkey" FOREIGN KEY ("created_by_service_account_id") REFERENCES "service_accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;
