-- AlterTable
ALTER TABLE "workspaces" ADD COLUMN     "enterprise_id" TEXT;

-- CreateIndex
CREATE INDEX "workspaces_enterprise_id_idx" ON "workspaces"("enterprise_id");
