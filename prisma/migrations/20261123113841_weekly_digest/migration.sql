-- CreateEnum
CREATE TYPE "DigestRunState" AS ENUM ('claimed', 'posted', 'failed');

-- CreateTable
CREATE TABLE "digest_settings" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "channel_id" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "hour" INTEGER NOT NULL,
    "time_zone" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updated_by_slack_user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "digest_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_runs" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "channel_id" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "state" "DigestRunState" NOT NULL DEFAULT 'claimed',
    "claim_token" TEXT NOT NULL,
    "lease_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "retry_at" TIMESTAMPTZ(3),
    "scheduled_for" TIMESTAMPTZ(3),
    "content" JSONB,
    "message_ts" TEXT,
    "replies_posted" INTEGER NOT NULL DEFAULT 0,
    "chart_file_id" TEXT,
    "chart_error" TEXT,
    "last_error" TEXT,
    "posted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "digest_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "digest_settings_workspace_id_key" ON "digest_settings"("workspace_id");

-- CreateIndex
CREATE INDEX "digest_runs_workspace_id_period_idx" ON "digest_runs"("workspace_id", "period");

-- CreateIndex
CREATE UNIQUE INDEX "digest_runs_workspace_id_channel_id_period_key" ON "digest_runs"("workspace_id", "channel_id", "period");

-- AddForeignKey
ALTER TABLE "digest_settings" ADD CONSTRAINT "digest_settings_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_runs" ADD CONSTRAINT "digest_runs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
