-- AlterTable
ALTER TABLE "deployments" ADD COLUMN     "image_removed_at" TIMESTAMP(3);
