-- AlterTable
ALTER TABLE "workspaces" ADD COLUMN     "competitors" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "debrief_nudge_after" TEXT,
ADD COLUMN     "manager_user_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "manager_usergroup_id" TEXT,
ADD COLUMN     "settings_saved_at" TIMESTAMPTZ(3),
ADD COLUMN     "settings_saved_by_slack_user_id" TEXT;

-- CreateTable
CREATE TABLE "crm_connections" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "source" "DealSource" NOT NULL DEFAULT 'generic',
    "label" TEXT NOT NULL,
    "sealed_signing_secret" TEXT NOT NULL,
    "created_by_slack_user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "crm_connections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "crm_connections_workspace_id_idx" ON "crm_connections"("workspace_id");

-- AddForeignKey
ALTER TABLE "crm_connections" ADD CONSTRAINT "crm_connections_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
