-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "post_deploy_command" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "release_command" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "start_command" TEXT[] DEFAULT ARRAY[]::TEXT[];
